//! The PKCE flow (supabase/auth's `flowType: 'pkce'`): a request that mails a link carries the
//! challenge of a secret verifier this browser keeps; the link comes back with a one-time
//! `?code=` instead of tokens, which only that verifier exchanges (`grant_type=pkce`). No
//! token is ever in a URL, and a link opened in another browser logs nobody in.

use super::fragment::{ExternalTokens, TokensPurpose};
use super::json::Value;

/// What the link a request mails will finish, kept with its verifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Signup,
    Recovery,
    SignInLink,
    EmailChange,
}

impl Purpose {
    fn name(self) -> &'static str {
        match self {
            Purpose::Signup => "signup",
            Purpose::Recovery => "recovery",
            Purpose::SignInLink => "magiclink",
            Purpose::EmailChange => "email_change",
        }
    }

    fn from_name(name: &str) -> Option<Purpose> {
        [
            Purpose::Signup,
            Purpose::Recovery,
            Purpose::SignInLink,
            Purpose::EmailChange,
        ]
        .into_iter()
        .find(|p| p.name() == name)
    }
}

/// The verifier this browser keeps for a mailed link (in storage: the link may be opened in a
/// new tab), and what the link is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub verifier: String,
    pub purpose: Purpose,
}

impl Pending {
    /// A verifier from 32 random bytes (43 characters, as RFC 7636 asks).
    pub fn new(random: [u8; 32], purpose: Purpose) -> Pending {
        Pending {
            verifier: base64url(&random),
            purpose,
        }
    }

    /// The S256 challenge sent with the request.
    pub fn challenge(&self) -> String {
        base64url(&sha256(self.verifier.as_bytes()))
    }

    pub fn to_json(&self) -> String {
        Value::Object(vec![
            ("verifier".into(), Value::string(self.verifier.as_str())),
            ("purpose".into(), Value::string(self.purpose.name())),
        ])
        .to_json()
    }

    /// `None` for anything but what [`Pending::to_json`] wrote.
    pub fn from_json(text: &str) -> Option<Pending> {
        let value = Value::parse(text).ok()?;
        let verifier = value.str_of("verifier").filter(|v| v.len() >= 43)?;
        Some(Pending {
            verifier: verifier.to_string(),
            purpose: Purpose::from_name(value.str_of("purpose")?)?,
        })
    }
}

/// The tokens a code's exchange answered (`grant_type=pkce`), as a redirect would have
/// carried them, for what the link was for; `None` for an answer without tokens.
pub fn link_tokens(answer: &Value, purpose: Purpose) -> Option<ExternalTokens> {
    Some(ExternalTokens {
        access_token: answer.str_of("access_token")?.to_string(),
        refresh_token: answer.str_of("refresh_token")?.to_string(),
        expires_in: answer
            .get("expires_in")
            .and_then(Value::as_i64)
            .unwrap_or(3600),
        token_type: answer.str_of("token_type").unwrap_or("bearer").to_string(),
        purpose: match purpose {
            Purpose::Signup => TokensPurpose::Signup,
            Purpose::Recovery => TokensPurpose::Recovery,
            Purpose::SignInLink => TokensPurpose::Login,
            Purpose::EmailChange => TokensPurpose::EmailChange,
        },
    })
}

/// Where the verifier waits for its link (`localStorage`).
pub const STORAGE_KEY: &str = "gotrue.pkce";

/// The fragment the widget puts on a PKCE link's `redirect_to`: the server keeps it on its
/// redirect (`?code=…#pkce`), which tells the loader a link is there to finish.
pub const REDIRECT_MARKER: &str = "#pkce";

/// Base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            let index = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
        }
    }
    out
}

/// SHA-256 (FIPS 180-4), for the S256 challenge.
pub fn sha256(message: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut hash: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut padded = message.to_vec();
    padded.push(0x80);
    while padded.len() % 64 != 56 {
        padded.push(0);
    }
    padded.extend_from_slice(&(message.len() as u64 * 8).to_be_bytes());
    for block in padded.chunks_exact(64) {
        let mut w: Vec<u32> = block
            .chunks_exact(4)
            .map(|bytes| bytes.iter().fold(0, |n, b| n << 8 | u32::from(*b)))
            .collect();
        for i in 16..64 {
            let at = |j: usize| w.get(j).copied().unwrap_or(0);
            let (a, b) = (at(i - 15), at(i - 2));
            let s0 = a.rotate_right(7) ^ a.rotate_right(18) ^ (a >> 3);
            let s1 = b.rotate_right(17) ^ b.rotate_right(19) ^ (b >> 10);
            let next = at(i - 16)
                .wrapping_add(s0)
                .wrapping_add(at(i - 7))
                .wrapping_add(s1);
            w.push(next);
        }
        let mut v = hash;
        for (k, word) in K.iter().zip(w) {
            let [a, b, c, d, e, f, g, h] = v;
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(*k)
                .wrapping_add(word);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            v = [
                t1.wrapping_add(s0.wrapping_add(majority)),
                a,
                b,
                c,
                d.wrapping_add(t1),
                e,
                f,
                g,
            ];
        }
        for (h, x) in hash.iter_mut().zip(v) {
            *h = h.wrapping_add(x);
        }
    }
    let mut out = [0u8; 32];
    for (bytes, h) in out.chunks_exact_mut(4).zip(hash) {
        bytes.copy_from_slice(&h.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            hex(&sha256(long)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 1000])),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
        );
    }

    #[test]
    fn an_exchanges_answer_logs_in_for_what_the_link_was_for() {
        let answer = Value::parse(
            r#"{"access_token":"at","token_type":"bearer","expires_in":60,"refresh_token":"rt","user":{}}"#,
        )
        .unwrap();
        assert_eq!(
            link_tokens(&answer, Purpose::Recovery),
            Some(ExternalTokens {
                access_token: "at".into(),
                refresh_token: "rt".into(),
                expires_in: 60,
                token_type: "bearer".into(),
                purpose: TokensPurpose::Recovery,
            })
        );
        let purpose = |p| link_tokens(&answer, p).map(|t| t.purpose);
        assert_eq!(purpose(Purpose::SignInLink), Some(TokensPurpose::Login));
        assert_eq!(purpose(Purpose::Signup), Some(TokensPurpose::Signup));
        assert_eq!(
            purpose(Purpose::EmailChange),
            Some(TokensPurpose::EmailChange)
        );
        let without = Value::parse(r#"{"access_token":"at"}"#).unwrap();
        assert_eq!(link_tokens(&without, Purpose::Recovery), None);
    }

    #[test]
    fn the_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        let pending = Pending {
            verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            purpose: Purpose::Recovery,
        };
        assert_eq!(
            pending.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        let random = Pending::new([7; 32], Purpose::Signup);
        assert_eq!(random.verifier.len(), 43);
        assert_eq!(Pending::from_json(&random.to_json()), Some(random));
        assert_eq!(
            Pending::from_json(r#"{"verifier":"short","purpose":"signup"}"#),
            None
        );
        assert_eq!(Pending::from_json("not json"), None);
    }
}
