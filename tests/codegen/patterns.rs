//! Compiles the models' `pattern`s (Java regular expressions) into automata for
//! `crate::validate::pattern`: parse, build a Thompson automaton, write it as a static table.
//!
//! What is understood: literals and escaped punctuation, `\uXXXX`, `.`, classes (`[...]`,
//! `[^...]`, ranges, `\d \w \s` inside and outside, `\S \D \W` outside, `\p{L} \p{N} \p{Z}`),
//! groups (`(...)`, `(?:...)`), alternation, `* + ? {n} {n,} {n,m}` (lazy forms match the same
//! strings), `^` and `$`, and a negative look-ahead at the start (`^(?!X)Y`). Anything else
//! stops generation with the pattern named, unless `REWRITES` gives an equivalent regular form.

use std::fmt::Write as _;

/// Patterns with look-arounds in the middle, and the same language without them.
const REWRITES: &[(&str, &str)] = &[(
    // Firehose's JDBC URL: `(?!-)[A-Za-z0-9-]{1,63}(?<!-)` is 1 to 63 of those characters, the
    // first and last not `-`.
    r"jdbc:(redshift|postgresql)://((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+(redshift(-serverless)?)\.([a-zA-Z0-9\.\-]+):\d{1,5}/[a-zA-Z0-9_$-]+",
    r"jdbc:(redshift|postgresql)://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(redshift(-serverless)?)\.([a-zA-Z0-9\.\-]+):\d{1,5}/[a-zA-Z0-9_$-]+",
)];

/// The most states an automaton may have: `crate::validate::pattern::MAX_STATES`.
const MAX_STATES: usize = 1024;

#[derive(Clone, Debug, PartialEq)]
enum Item {
    Range(char, char),
    Letter,
    Number,
    Separator,
}

#[derive(Clone, Debug)]
enum Node {
    Class(Vec<Item>, bool),
    Start,
    End,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
    NotAhead(Box<Node>),
}

#[derive(Clone, Debug)]
enum State {
    Class(Vec<Item>, bool, usize),
    Split(usize, usize),
    Start(usize),
    End(usize),
    Match,
}

/// `static <name>: Pattern = ...;` for the model's `source`. Panics, naming the pattern, if it
/// uses what this compiler does not understand.
pub fn emit_pattern(name: &str, source: &str) -> String {
    let regular = REWRITES
        .iter()
        .find(|(from, _)| *from == source)
        .map_or(source, |(_, to)| to);
    let node = Parser::new(source, regular).alternation();
    // A look-ahead is understood only first (after an optional `^`).
    let (not_ahead, main) = split_look_ahead(source, node);
    let not_prefix = match not_ahead {
        Some(ahead) => {
            let anything = Node::Repeat(Box::new(Node::Class(Vec::new(), true)), 0, None);
            let prefix = Node::Concat(vec![ahead, anything]);
            let inner = format!("{name}_NOT");
            let text = automaton(&inner, source, &prefix, "None");
            return format!(
                "{text}\n{}",
                automaton(name, source, &main, &format!("Some(&{inner})"))
            );
        }
        None => "None",
    };
    automaton(name, source, &main, not_prefix)
}

fn automaton(name: &str, source: &str, node: &Node, not_prefix: &str) -> String {
    let mut states = vec![State::Match];
    let start = build(&mut states, node, 0);
    assert!(
        states.len() <= MAX_STATES,
        "pattern {source:?} needs {} states, more than {MAX_STATES}",
        states.len()
    );
    let table = states
        .iter()
        .map(emit_state)
        .collect::<Vec<_>>()
        .join(",\n");
    format!(
        "\
/// `{source}`
static {name}: Pattern = Pattern {{
    source: {source:?},
    start: {start},
    not_prefix: {not_prefix},
    states: &[
        {table}
    ],
}};
"
    )
}

fn emit_state(state: &State) -> String {
    match state {
        State::Class(items, negated, next) => {
            let items = items.iter().map(emit_item).collect::<Vec<_>>().join(", ");
            format!("State::Class {{ items: &[{items}], negated: {negated}, next: {next} }}")
        }
        State::Split(a, b) => format!("State::Split({a}, {b})"),
        State::Start(next) => format!("State::Start({next})"),
        State::End(next) => format!("State::End({next})"),
        State::Match => "State::Match".to_string(),
    }
}

fn emit_item(item: &Item) -> String {
    match item {
        Item::Range(lo, hi) => format!("ClassItem::Range({lo:?}, {hi:?})"),
        Item::Letter => "ClassItem::Letter".to_string(),
        Item::Number => "ClassItem::Number".to_string(),
        Item::Separator => "ClassItem::Separator".to_string(),
    }
}

/// Builds `node` so that it goes on at `next`; returns its first state.
fn build(states: &mut Vec<State>, node: &Node, next: usize) -> usize {
    let push = |states: &mut Vec<State>, state: State| {
        states.push(state);
        states.len() - 1
    };
    match node {
        Node::Class(items, negated) => push(states, State::Class(items.clone(), *negated, next)),
        Node::Start => push(states, State::Start(next)),
        Node::End => push(states, State::End(next)),
        Node::Concat(nodes) => nodes
            .iter()
            .rev()
            .fold(next, |next, node| build(states, node, next)),
        Node::Alt(nodes) => {
            let mut starts: Vec<usize> = nodes.iter().map(|n| build(states, n, next)).collect();
            let mut first = starts.pop().expect("an alternative");
            while let Some(other) = starts.pop() {
                first = push(states, State::Split(other, first));
            }
            first
        }
        Node::Repeat(body, min, max) => {
            let mut start = match max {
                None => {
                    let split = push(states, State::Match); // patched below
                    let body = build(states, body, split);
                    states[split] = State::Split(body, next);
                    split
                }
                Some(max) => {
                    let mut start = next;
                    for _ in *min..*max {
                        let body = build(states, body, start);
                        start = push(states, State::Split(body, next));
                    }
                    start
                }
            };
            for _ in 0..*min {
                start = build(states, body, start);
            }
            start
        }
        Node::NotAhead(_) => unreachable!("look-aheads are split off first"),
    }
}

/// `^(?!X)Y` -> (`^X`, `^Y`); any other look-ahead stops generation.
fn split_look_ahead(source: &str, node: Node) -> (Option<Node>, Node) {
    let nodes = match node {
        Node::Concat(nodes) => nodes,
        other => vec![other],
    };
    let mut ahead = None;
    let mut rest = Vec::new();
    let mut prefix = Vec::new();
    for node in nodes {
        match node {
            Node::NotAhead(x)
                if ahead.is_none() && rest.iter().all(|n| matches!(n, Node::Start)) =>
            {
                prefix.extend(rest.iter().cloned());
                prefix.push(*x);
                ahead = Some(Node::Concat(std::mem::take(&mut prefix)));
            }
            other => {
                assert!(
                    !contains_look_ahead(&other),
                    "pattern {source:?}: a look-around other than a leading `(?!...)` \
                     cannot be compiled; add an equivalent regular form to REWRITES"
                );
                rest.push(other);
            }
        }
    }
    (ahead, Node::Concat(rest))
}

fn contains_look_ahead(node: &Node) -> bool {
    match node {
        Node::NotAhead(_) => true,
        Node::Concat(ns) | Node::Alt(ns) => ns.iter().any(contains_look_ahead),
        Node::Repeat(n, _, _) => contains_look_ahead(n),
        _ => false,
    }
}

struct Parser<'s> {
    source: &'s str,
    chars: Vec<char>,
    at: usize,
}

impl<'s> Parser<'s> {
    fn new(source: &'s str, regular: &str) -> Self {
        Parser {
            source,
            chars: regular.chars().collect(),
            at: 0,
        }
    }

    fn fail(&self, what: &str) -> ! {
        panic!(
            "pattern {:?}: {what} at character {} cannot be compiled",
            self.source, self.at
        )
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn next(&mut self) -> char {
        let c = self
            .peek()
            .unwrap_or_else(|| self.fail("an unexpected end"));
        self.at += 1;
        c
    }

    fn alternation(&mut self) -> Node {
        let mut alternatives = vec![self.concatenation()];
        while self.eat('|') {
            alternatives.push(self.concatenation());
        }
        if self.at < self.chars.len() && self.peek() != Some(')') {
            self.fail("an unexpected character");
        }
        if alternatives.len() == 1 {
            alternatives.pop().expect("one")
        } else {
            Node::Alt(alternatives)
        }
    }

    fn concatenation(&mut self) -> Node {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom();
            nodes.push(self.quantified(atom));
        }
        Node::Concat(nodes)
    }

    fn quantified(&mut self, atom: Node) -> Node {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.at += 1;
                let min = self.number();
                let max = if self.eat(',') {
                    if self.peek() == Some('}') {
                        None
                    } else {
                        Some(self.number())
                    }
                } else {
                    Some(min)
                };
                if !self.eat('}') {
                    self.fail("a malformed `{m,n}`");
                }
                self.at -= 1;
                (min, max)
            }
            _ => return atom,
        };
        self.at += 1;
        // A lazy quantifier matches the same whole strings; a possessive one does not.
        self.eat('?');
        if self.peek() == Some('+') {
            self.fail("a possessive quantifier");
        }
        Node::Repeat(Box::new(atom), min, max)
    }

    fn number(&mut self) -> u32 {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            digits.push(c);
            self.at += 1;
        }
        digits
            .parse()
            .unwrap_or_else(|_| self.fail("a missing number"))
    }

    fn atom(&mut self) -> Node {
        match self.next() {
            '(' => {
                let look_ahead = if self.eat('?') {
                    match self.next() {
                        ':' => false,
                        '!' => true,
                        _ => self.fail("a group kind other than `(?:` and `(?!`"),
                    }
                } else {
                    false
                };
                let inner = self.alternation();
                if !self.eat(')') {
                    self.fail("an unclosed group");
                }
                if look_ahead {
                    Node::NotAhead(Box::new(inner))
                } else {
                    inner
                }
            }
            '[' => self.class(),
            '.' => Node::Class(line_terminators(), true),
            '^' => Node::Start,
            '$' => Node::End,
            '\\' => match self.escape() {
                Escaped::Class(items, negated) => Node::Class(items, negated),
                Escaped::Char(c) => Node::Class(vec![Item::Range(c, c)], false),
            },
            c @ ('*' | '+' | '?' | '{' | ')' | ']' | '}') => self.fail(&format!("a stray `{c}`")),
            c => Node::Class(vec![Item::Range(c, c)], false),
        }
    }

    fn class(&mut self) -> Node {
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            let first = match self.next() {
                ']' => break,
                '[' => self.fail("a nested class"),
                '\\' => match self.escape() {
                    Escaped::Class(more, false) => {
                        items.extend(more);
                        continue;
                    }
                    Escaped::Class(_, true) => self.fail("a negated escape inside a class"),
                    Escaped::Char(c) => c,
                },
                c => c,
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1) != Some(&']') {
                self.at += 1;
                let last = match self.next() {
                    '\\' => match self.escape() {
                        Escaped::Char(c) => c,
                        Escaped::Class(..) => self.fail("a class as the end of a range"),
                    },
                    c => c,
                };
                assert!(
                    first <= last,
                    "pattern {:?}: range {first}-{last}",
                    self.source
                );
                items.push(Item::Range(first, last));
            } else {
                items.push(Item::Range(first, first));
            }
        }
        Node::Class(items, negated)
    }

    fn escape(&mut self) -> Escaped {
        let range = |lo, hi| Item::Range(lo, hi);
        let word = || {
            vec![
                range('a', 'z'),
                range('A', 'Z'),
                range('_', '_'),
                range('0', '9'),
            ]
        };
        match self.next() {
            'd' => Escaped::Class(vec![range('0', '9')], false),
            'D' => Escaped::Class(vec![range('0', '9')], true),
            'w' => Escaped::Class(word(), false),
            'W' => Escaped::Class(word(), true),
            's' => Escaped::Class(java_space(), false),
            'S' => Escaped::Class(java_space(), true),
            'p' => {
                let mut name = String::new();
                if !self.eat('{') {
                    self.fail("`\\p` without braces");
                }
                while let Some(c) = self.peek().filter(|&c| c != '}') {
                    name.push(c);
                    self.at += 1;
                }
                self.eat('}');
                let item = match name.as_str() {
                    "L" => Item::Letter,
                    "N" => Item::Number,
                    "Z" => Item::Separator,
                    _ => self.fail(&format!("the property `\\p{{{name}}}`")),
                };
                Escaped::Class(vec![item], false)
            }
            'u' => {
                let hex: String = (0..4).map(|_| self.next()).collect();
                let code = u32::from_str_radix(&hex, 16).unwrap_or_else(|_| self.fail("a bad \\u"));
                Escaped::Char(char::from_u32(code).unwrap_or_else(|| self.fail("a surrogate")))
            }
            't' => Escaped::Char('\t'),
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            c if c.is_ascii_punctuation() => Escaped::Char(c),
            c => self.fail(&format!("the escape `\\{c}`")),
        }
    }
}

enum Escaped {
    Class(Vec<Item>, bool),
    Char(char),
}

/// Java's `\s`: `[ \t\n\x0B\f\r]`.
fn java_space() -> Vec<Item> {
    [' ', '\t', '\n', '\u{b}', '\u{c}', '\r']
        .into_iter()
        .map(|c| Item::Range(c, c))
        .collect()
}

/// What Java's `.` does not match: the line terminators.
fn line_terminators() -> Vec<Item> {
    ['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']
        .into_iter()
        .map(|c| Item::Range(c, c))
        .collect()
}

/// Every distinct pattern of `patterns`, named `PATTERN_<i>` in order.
pub fn emit_patterns(patterns: &[String]) -> String {
    let mut out = String::new();
    for (i, source) in patterns.iter().enumerate() {
        let _ = writeln!(out, "{}", emit_pattern(&format!("PATTERN_{i}"), source));
    }
    out
}
