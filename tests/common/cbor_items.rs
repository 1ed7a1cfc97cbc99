//! A CBOR decoder for tests, written straight from RFC 8949 (section 3 and Appendix C) and
//! independent of the crate's reader: it says whether bytes are one well-formed data item and
//! shows that item as a tree, so that a test can check what a peer really sent (a byte string
//! or base64 text, a tag 1 or a bare number) beside what the crate parsed from it.

#![allow(dead_code)] // each test binary uses part of it

/// One data item.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Major type 0.
    Unsigned(u64),
    /// Major type 1: the value is `-1 - n`.
    Negative(u64),
    /// Major type 2 (chunks joined).
    Bytes(Vec<u8>),
    /// Major type 3 (chunks joined).
    Text(String),
    /// Major type 4.
    Array(Vec<Item>),
    /// Major type 5, pairs in the order sent.
    Map(Vec<(Item, Item)>),
    /// Major type 6.
    Tag(u64, Box<Item>),
    /// `false`, `true`.
    Bool(bool),
    /// `null`.
    Null,
    /// `undefined` (simple value 23).
    Undefined,
    /// Another simple value.
    Simple(u8),
    /// A half, single or double float, widened.
    Float(f64),
}

impl Item {
    /// The value of text key `key` in a map.
    pub fn get(&self, key: &str) -> Option<&Item> {
        match self {
            Item::Map(pairs) => pairs
                .iter()
                .find(|(k, _)| matches!(k, Item::Text(t) if t == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The elements of an array (empty for anything else).
    pub fn elements(&self) -> &[Item] {
        match self {
            Item::Array(items) => items,
            _ => &[],
        }
    }
}

/// The one data item that `bytes` holds, or why they are not well-formed CBOR (including bytes
/// left over after the item).
pub fn decode(bytes: &[u8]) -> Result<Item, String> {
    let mut d = Decoder { bytes, at: 0 };
    let item = d.item(0)?;
    if d.at != bytes.len() {
        return Err(format!(
            "{} bytes left after the item at offset {}",
            bytes.len() - d.at,
            d.at
        ));
    }
    Ok(item)
}

struct Decoder<'b> {
    bytes: &'b [u8],
    at: usize,
}

/// Deeper than any Kinesis shape.
const MAX_DEPTH: usize = 64;

impl Decoder<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| format!("the input ends at offset {}", self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&[u8], String> {
        let n = usize::try_from(n).map_err(|_| "a length beyond usize")?;
        if self.bytes.len() - self.at < n {
            return Err(format!(
                "a length of {n} at offset {} runs past the end",
                self.at
            ));
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }

    /// The argument of a head with additional information `info`; `None` for 31 (indefinite).
    fn argument(&mut self, info: u8) -> Result<Option<u64>, String> {
        let width = match info {
            0..=23 => return Ok(Some(u64::from(info))),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            31 => return Ok(None),
            _ => return Err(format!("reserved additional information {info}")),
        };
        let bytes = self.take(width)?;
        Ok(Some(
            bytes.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b)),
        ))
    }

    fn item(&mut self, depth: usize) -> Result<Item, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deep".into());
        }
        let start = self.at;
        let head = self.byte()?;
        let (major, info) = (head >> 5, head & 0x1f);
        if major == 7 {
            return self.simple_or_float(info, start);
        }
        let arg = self.argument(info)?;
        match (major, arg) {
            (0, Some(n)) => Ok(Item::Unsigned(n)),
            (1, Some(n)) => Ok(Item::Negative(n)),
            (2, Some(n)) => Ok(Item::Bytes(self.take(n)?.to_vec())),
            (3, Some(n)) => text(self.take(n)?.to_vec(), start),
            (2 | 3, None) => {
                let mut joined = Vec::new();
                loop {
                    if self.bytes.get(self.at) == Some(&0xff) {
                        self.at += 1;
                        break;
                    }
                    let chunk_at = self.at;
                    let chunk_head = self.byte()?;
                    if chunk_head >> 5 != major || chunk_head & 0x1f == 31 {
                        return Err(format!(
                            "a chunk of another kind at offset {chunk_at} in an indefinite string"
                        ));
                    }
                    let n = self.argument(chunk_head & 0x1f)?.expect("definite");
                    joined.extend_from_slice(self.take(n)?);
                }
                if major == 2 {
                    Ok(Item::Bytes(joined))
                } else {
                    text(joined, start)
                }
            }
            (4, n) => {
                let mut items = Vec::new();
                match n {
                    Some(n) => {
                        for _ in 0..n {
                            items.push(self.item(depth + 1)?);
                        }
                    }
                    None => {
                        while !self.at_break()? {
                            items.push(self.item(depth + 1)?);
                        }
                    }
                }
                Ok(Item::Array(items))
            }
            (5, n) => {
                let mut pairs = Vec::new();
                match n {
                    Some(n) => {
                        for _ in 0..n {
                            pairs.push((self.item(depth + 1)?, self.item(depth + 1)?));
                        }
                    }
                    None => {
                        while !self.at_break()? {
                            pairs.push((self.item(depth + 1)?, self.item(depth + 1)?));
                        }
                    }
                }
                Ok(Item::Map(pairs))
            }
            (6, Some(tag)) => Ok(Item::Tag(tag, Box::new(self.item(depth + 1)?))),
            _ => Err(format!(
                "major type {major} cannot be indefinite (offset {start})"
            )),
        }
    }

    /// Consumes a break byte if one is next.
    fn at_break(&mut self) -> Result<bool, String> {
        match self.bytes.get(self.at) {
            Some(0xff) => {
                self.at += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err("an indefinite item without its break".into()),
        }
    }

    fn simple_or_float(&mut self, info: u8, start: usize) -> Result<Item, String> {
        Ok(match info {
            20 => Item::Bool(false),
            21 => Item::Bool(true),
            22 => Item::Null,
            23 => Item::Undefined,
            0..=19 => Item::Simple(info),
            24 => {
                let v = self.byte()?;
                if v < 32 {
                    return Err(format!("simple value {v} in two bytes (offset {start})"));
                }
                Item::Simple(v)
            }
            25 => {
                let b = self.take(2)?;
                Item::Float(half(u16::from_be_bytes([b[0], b[1]])))
            }
            26 => {
                let b = self.take(4)?;
                Item::Float(f64::from(f32::from_be_bytes([b[0], b[1], b[2], b[3]])))
            }
            27 => {
                let b = self.take(8)?;
                Item::Float(f64::from_be_bytes(b.try_into().expect("8 bytes")))
            }
            31 => {
                return Err(format!(
                    "a break outside an indefinite item (offset {start})"
                ))
            }
            _ => return Err(format!("reserved simple encoding {info} (offset {start})")),
        })
    }
}

fn text(bytes: Vec<u8>, start: usize) -> Result<Item, String> {
    String::from_utf8(bytes)
        .map(Item::Text)
        .map_err(|_| format!("a text string that is not UTF-8 (offset {start})"))
}

/// RFC 8949 Appendix D.
fn half(bits: u16) -> f64 {
    let exp = (bits >> 10) & 0x1f;
    let mant = f64::from(bits & 0x3ff);
    let value = match exp {
        0 => mant * 2f64.powi(-24),
        31 if mant == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        _ => (mant + 1024.0) * 2f64.powi(i32::from(exp) - 25),
    };
    if bits & 0x8000 != 0 {
        -value
    } else {
        value
    }
}

/// `item` in the preferred form (shortest heads, definite lengths; floats as doubles), for a
/// test that changes one member of a body and sends it on.
pub fn encode(item: &Item) -> Vec<u8> {
    let mut out = Vec::new();
    put(item, &mut out);
    out
}

fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let major = major << 5;
    match n {
        0..=23 => out.push(major | n as u8),
        24..=0xff => out.extend([major | 24, n as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend((n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend((n as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend(n.to_be_bytes());
        }
    }
}

fn put(item: &Item, out: &mut Vec<u8>) {
    match item {
        Item::Unsigned(n) => head(0, *n, out),
        Item::Negative(n) => head(1, *n, out),
        Item::Bytes(b) => {
            head(2, b.len() as u64, out);
            out.extend(b);
        }
        Item::Text(t) => {
            head(3, t.len() as u64, out);
            out.extend(t.as_bytes());
        }
        Item::Array(items) => {
            head(4, items.len() as u64, out);
            items.iter().for_each(|i| put(i, out));
        }
        Item::Map(pairs) => {
            head(5, pairs.len() as u64, out);
            for (k, v) in pairs {
                put(k, out);
                put(v, out);
            }
        }
        Item::Tag(tag, inner) => {
            head(6, *tag, out);
            put(inner, out);
        }
        Item::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Item::Null => out.push(0xf6),
        Item::Undefined => out.push(0xf7),
        Item::Simple(v) if *v < 24 => out.push(0xe0 | v),
        Item::Simple(v) => out.extend([0xf8, *v]),
        Item::Float(f) => {
            out.push(0xfb);
            out.extend(f.to_be_bytes());
        }
    }
}
