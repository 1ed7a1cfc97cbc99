//! The model's regular expressions, compiled by the generator into automata; matching one needs
//! no regex engine and no heap.
//!
//! spec/validation.md: "`pattern` (Java regular expressions ...)". The generator
//! (`tests/codegen/patterns.rs`) parses each pattern and writes a Thompson automaton as a table
//! of [`State`]s; [`Pattern::matches`] runs it over the string's characters, keeping the set of
//! live states in fixed bit sets. A pattern must match the whole string (the service's anchors
//! are implied). A leading negative look-ahead, `^(?!X)Y`, becomes a second automaton for
//! `X` followed by anything, which must not match.

/// The most states one automaton may have (the generator refuses a pattern that needs more).
pub const MAX_STATES: usize = 1024;

const WORDS: usize = MAX_STATES / 64;

/// One class of characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClassItem {
    /// The characters from the first to the second, both included.
    Range(char, char),
    /// `\p{L}`: a letter (Rust's `char::is_alphabetic`, which also takes the few marks and
    /// letter-numbers Unicode calls alphabetic).
    Letter,
    /// `\p{N}`: a number (`char::is_numeric`: categories Nd, Nl and No, as Java's).
    Number,
    /// `\p{Z}`: a separator (categories Zs, Zl, Zp).
    Separator,
}

impl ClassItem {
    fn contains(&self, c: char) -> bool {
        match *self {
            ClassItem::Range(lo, hi) => lo <= c && c <= hi,
            ClassItem::Letter => c.is_alphabetic(),
            ClassItem::Number => c.is_numeric(),
            ClassItem::Separator => matches!(
                c,
                ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
                    ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
            ),
        }
    }
}

/// One state of an automaton; `next` and the branches are indexes into the same table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Consumes one character in the class (or, `negated`, one not in it).
    Class {
        /// The class: the union of its items.
        items: &'static [ClassItem],
        /// Whether the class is `[^...]`.
        negated: bool,
        /// The state after the character.
        next: u16,
    },
    /// Goes on at both states.
    Split(u16, u16),
    /// `^`: goes on only at the start of the string.
    Start(u16),
    /// `$`: goes on only at the end of the string.
    End(u16),
    /// The whole pattern matched.
    Match,
}

/// A compiled pattern.
#[derive(Debug)]
pub struct Pattern {
    /// The pattern as the model writes it (the message quotes it).
    pub source: &'static str,
    /// The automaton.
    pub states: &'static [State],
    /// Where it starts.
    pub start: u16,
    /// A look-ahead at the start (`(?!X)`): the automaton of `X` followed by anything; a string
    /// it matches is refused.
    pub not_prefix: Option<&'static Pattern>,
}

impl Pattern {
    /// Whether `text` matches the whole pattern.
    pub fn matches(&self, text: &str) -> bool {
        run(self, text) && !self.not_prefix.is_some_and(|not| run(not, text))
    }
}

#[derive(Clone, Copy)]
struct Set([u64; WORDS]);

impl Set {
    fn insert(&mut self, state: u16) -> bool {
        let (word, bit) = (usize::from(state) / 64, u32::from(state) % 64);
        match self.0.get_mut(word) {
            Some(w) if *w & (1 << bit) == 0 => {
                *w |= 1 << bit;
                true
            }
            _ => false,
        }
    }

    /// The states in the set, skipping empty words.
    fn states(&self) -> impl Iterator<Item = u16> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            core::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest.wrapping_sub(1);
                u16::try_from(i.saturating_mul(64).saturating_add(bit as usize)).ok()
            })
        })
    }
}

/// Adds `state` and every state reachable from it without consuming a character.
fn add(states: &[State], set: &mut Set, state: u16, start: bool, end: bool) {
    if !set.insert(state) {
        return;
    }
    match states.get(usize::from(state)) {
        Some(State::Split(a, b)) => {
            add(states, set, *a, start, end);
            add(states, set, *b, start, end);
        }
        Some(State::Start(next)) if start => add(states, set, *next, start, end),
        Some(State::End(next)) if end => add(states, set, *next, start, end),
        _ => {}
    }
}

fn run(pattern: &Pattern, text: &str) -> bool {
    let states = pattern.states;
    let mut live = Set([0; WORDS]);
    add(states, &mut live, pattern.start, true, text.is_empty());
    for (at, c) in text.char_indices() {
        let end = at.saturating_add(c.len_utf8()) == text.len();
        let mut next = Set([0; WORDS]);
        for state in live.states() {
            if let Some(State::Class {
                items,
                negated,
                next: to,
            }) = states.get(usize::from(state))
            {
                if items.iter().any(|item| item.contains(c)) != *negated {
                    add(states, &mut next, *to, false, end);
                }
            }
        }
        live = next;
    }
    let matched = live
        .states()
        .any(|state| matches!(states.get(usize::from(state)), Some(State::Match)));
    matched
}
