//! A small, lossless JSON value.
//!
//! Why not serde_json: the session record must round-trip fields we do not model
//! (`user_metadata` is free-form), and serde_json's float formatting costs ~11 KB gzip in the
//! wasm. Numbers are kept as their source text, so nothing is reformatted and nothing is lost.

use std::collections::HashMap;
use std::fmt::Write;

/// A parsed JSON document. Object keys keep their order.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number's source text, validated as a JSON number.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Why a text is not JSON. Positions are byte offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
}

/// Deepest nesting accepted; deeper input is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

impl Value {
    /// Parses a whole JSON text (surrounding whitespace allowed).
    pub fn parse(text: &str) -> Result<Value, ParseError> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            pos: 0,
        };
        let value = parser.value(0)?;
        parser.skip_whitespace();
        if parser.pos != parser.bytes.len() {
            return Err(parser.error());
        }
        Ok(value)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets (or replaces in place) the member `key`; turns a non-object into an object.
    pub fn set(&mut self, key: &str, value: Value) {
        if !matches!(self, Value::Object(_)) {
            *self = Value::Object(Vec::new());
        }
        if let Value::Object(members) = self {
            match members.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key.to_string(), value)),
            }
        }
    }

    /// Removes the member `key` of an object, if present.
    pub fn remove(&mut self, key: &str) {
        if let Value::Object(members) = self {
            members.retain(|(k, _)| k != key);
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A string member, empty strings counted as absent.
    pub fn str_of(&self, key: &str) -> Option<&str> {
        self.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// An integer, from a number or from a numeric string; fractions are truncated.
    pub fn as_i64(&self) -> Option<i64> {
        let text = match self {
            Value::Number(n) => n.as_str(),
            Value::String(s) => s.as_str(),
            _ => return None,
        };
        let integer_part = text.split(['.', 'e', 'E']).next().unwrap_or(text);
        let exponent = text
            .find(['e', 'E'])
            .and_then(|at| text.get(at + 1..))
            .map(|e| e.parse::<u32>().ok())
            .unwrap_or(Some(0))?;
        let mut n = integer_part.parse::<i64>().ok()?;
        // Exponents appear in the wild for millisecond timestamps (1.7e12); fold them in.
        let digits_after_point = text
            .split(['e', 'E'])
            .next()
            .and_then(|mantissa| mantissa.split_once('.'))
            .map(|(_, frac)| frac)
            .unwrap_or("");
        for i in 0..exponent as usize {
            let digit = digits_after_point
                .as_bytes()
                .get(i)
                .map_or(0, |d| i64::from(d - b'0'));
            n = n
                .checked_mul(10)?
                .checked_add(if n < 0 { -digit } else { digit })?;
        }
        Some(n)
    }

    pub fn number(n: i64) -> Value {
        Value::Number(n.to_string())
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// Compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => write_string(s, out),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Like JSON.parse, a repeated member keeps its first place and its last value. In one pass:
/// a body with many members must not cost their square.
fn without_repeats(members: Vec<(String, Value)>) -> Vec<(String, Value)> {
    let mut places: HashMap<String, usize> = HashMap::with_capacity(members.len());
    let mut kept: Vec<(String, Value)> = Vec::with_capacity(members.len());
    for (key, value) in members {
        match places.get(&key).and_then(|&place| kept.get_mut(place)) {
            Some(slot) => slot.1 = value,
            None => {
                places.insert(key.clone(), kept.len());
                kept.push((key, value));
            }
        }
    }
    kept
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self) -> ParseError {
        ParseError { offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The bytes not read yet.
    fn rest(&self) -> &[u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// The bytes read since `start`.
    fn since(&self, start: usize) -> &[u8] {
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    fn expect_literal(&mut self, literal: &str, value: Value) -> Result<Value, ParseError> {
        if self.rest().starts_with(literal.as_bytes()) {
            self.pos += literal.len();
            Ok(value)
        } else {
            Err(self.error())
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error());
        }
        self.skip_whitespace();
        match self.peek() {
            Some(b'n') => self.expect_literal("null", Value::Null),
            Some(b't') => self.expect_literal("true", Value::Bool(true)),
            Some(b'f') => self.expect_literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error()),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error()),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error());
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.error());
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(without_repeats(members)));
                }
                _ => return Err(self.error()),
            }
        }
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.pos;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.pos += 1;
            }
            p.pos > from
        };
        if !digits(self) {
            return Err(self.error());
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(self.error());
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(self.error());
            }
        }
        let text = std::str::from_utf8(self.since(start)).map_err(|_| self.error())?;
        Ok(Value::Number(text.to_string()))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let hex = self.bytes.get(self.pos..self.pos + 4).ok_or(self.error())?;
        let text = std::str::from_utf8(hex).map_err(|_| self.error())?;
        let code = u32::from_str_radix(text, 16).map_err(|_| self.error())?;
        self.pos += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            let run = std::str::from_utf8(self.since(run_start)).map_err(|_| self.error())?;
            out.push_str(run);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escape = self.peek().ok_or(self.error())?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.error()),
                    }
                }
                _ => return Err(self.error()),
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            // A high surrogate must be followed by `\uDC00`..`\uDFFF`; a lone one becomes U+FFFD.
            if self.rest().starts_with(b"\\u") {
                let resume = self.pos;
                self.pos += 2;
                let second = self.hex4()?;
                if (0xDC00..0xE000).contains(&second) {
                    0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                } else {
                    self.pos = resume;
                    0xFFFD
                }
            } else {
                0xFFFD
            }
        } else {
            first
        };
        Ok(char::from_u32(code).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_gotrue_user_record_byte_for_byte() {
        let text = r#"{"token":{"access_token":"a.b.c","expires_in":3600,"expires_at":1795725474000},"url":"/.netlify/identity","user_metadata":{"full_name":"Ann \"B\" \u00e9"},"app_metadata":{"roles":["x","y"]},"n":-1.5e3,"ok":true,"none":null}"#;
        let value = Value::parse(text).unwrap();
        let again = Value::parse(&value.to_json()).unwrap();
        assert_eq!(value, again);
        assert_eq!(
            value.get("url").and_then(Value::as_str),
            Some("/.netlify/identity")
        );
        let name = value
            .get("user_metadata")
            .and_then(|m| m.str_of("full_name"));
        assert_eq!(name, Some("Ann \"B\" é"));
    }

    #[test]
    fn reads_integers_from_numbers_and_exponents() {
        assert_eq!(Value::Number("3600".into()).as_i64(), Some(3600));
        assert_eq!(
            Value::Number("1.7957254e12".into()).as_i64(),
            Some(1_795_725_400_000)
        );
        assert_eq!(Value::Number("12.9".into()).as_i64(), Some(12));
        assert_eq!(Value::string("42").as_i64(), Some(42));
        assert_eq!(Value::Bool(true).as_i64(), None);
        assert_eq!(Value::Number("9e99".into()).as_i64(), None);
    }

    #[test]
    fn refuses_malformed_text_without_panicking() {
        for bad in [
            "",
            "{",
            "{\"a\"}",
            "[1,]",
            "tru",
            "\"\\x\"",
            "01x",
            "{\"a\":1} 2",
            "\"\\u12\"",
            "-",
            "1.",
        ] {
            assert!(Value::parse(bad).is_err(), "accepted {bad:?}");
        }
        let deep = "[".repeat(10_000);
        assert!(Value::parse(&deep).is_err());
    }

    #[test]
    fn decodes_surrogate_pairs_and_escapes_control_characters() {
        let value = Value::parse(r#""\ud83d\ude00 \ud800x""#).unwrap();
        assert_eq!(value.as_str(), Some("😀 \u{FFFD}x"));
        assert_eq!(Value::string("a\u{1}\n").to_json(), r#""a\u0001\n""#);
    }

    #[test]
    fn set_replaces_in_place_and_keeps_order() {
        let mut value = Value::parse(r#"{"a":1,"b":2}"#).unwrap();
        value.set("a", Value::number(3));
        value.set("c", Value::Null);
        value.remove("b");
        assert_eq!(value.to_json(), r#"{"a":3,"c":null}"#);
    }
}
