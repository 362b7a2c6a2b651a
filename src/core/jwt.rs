//! Reading (not verifying) a JWT's payload: the server verifies, the widget only needs
//! `exp` to know when to refresh and the claims to show.

use super::json::Value;

/// The payload of a `header.payload.signature` token, if it is one.
pub fn payload(token: &str) -> Option<Value> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = base64url_decode(payload)?;
    Value::parse(std::str::from_utf8(&bytes).ok()?).ok()
}

/// When the token expires, in milliseconds since the epoch (`exp` × 1000, as gotrue-js stores it).
pub fn expires_at_ms(token: &str) -> Option<i64> {
    payload(token)?.get("exp")?.as_i64()?.checked_mul(1000)
}

/// Decodes unpadded (or padded) base64url.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in text.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // {"alg":"HS256","typ":"JWT"} . {"sub":"u1","exp":1795725474,"email":"ä@b.c"} . sig
    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1MSIsImV4cCI6MTc5NTcyNTQ3NCwiZW1haWwiOiLDpEBiLmMifQ.c2ln";

    #[test]
    fn reads_expiry_and_utf8_claims() {
        assert_eq!(expires_at_ms(TOKEN), Some(1_795_725_474_000));
        assert_eq!(
            payload(TOKEN)
                .and_then(|p| p.str_of("email").map(String::from))
                .as_deref(),
            Some("ä@b.c")
        );
    }

    #[test]
    fn non_jwt_tokens_give_nothing_and_do_not_panic() {
        for bad in [
            "access_token",
            "a.b",
            "a.!!.c",
            "a.e30.c",
            "..",
            "a.eyJleHAiOiJ4In0.c",
        ] {
            assert_eq!(expires_at_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn decodes_base64url_with_and_without_padding() {
        assert_eq!(base64url_decode("aGk").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64url_decode("aGk=").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64url_decode("_-8").as_deref(), Some(&[0xff, 0xef][..]));
    }
}
