//! The typed values of condition operators (IAM User Guide, "IAM JSON policy
//! elements: Condition operators"): numbers, dates, booleans, IP addresses
//! and ranges, base64 binary. Each type is read by exactly one function here,
//! so that a value the linter accepts is a value the evaluator can compare.

use std::net::IpAddr;

/// A number for the `Numeric` operators: an integer or decimal, optionally
/// with an exponent. Rust reads `1e999` (and a 400-digit integer) as
/// infinity without an error, but no such number can be held by IAM or by
/// any JSON reader built on f64, so it is not a number here.
pub fn parse_number(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    text.parse::<f64>().ok().filter(|n| plain && n.is_finite())
}

/// A date for the `Date` operators, as seconds since the epoch: an ISO 8601
/// date (`2024-01-31`), date-time (`2024-01-31T12:00Z`, seconds, a fraction
/// and a `+hh:mm` offset optional) or epoch seconds (`1706702400`), the forms
/// the IAM User Guide's "Date condition operators" lists. Anything else
/// (`2020-01-01Tnonsense`, a 13th month) is `None`.
pub fn parse_date(text: &str) -> Option<f64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let fixed = |s: &str, len: usize| -> Option<i64> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let mut parts = date.split('-');
    let year = fixed(parts.next()?, 4)?;
    let month = fixed(parts.next()?, 2)?;
    let day = fixed(parts.next()?, 2)?;
    if parts.next().is_some()
        || !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
    {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) as f64 * 86_400.0;
    if let Some(time) = time {
        let (clock, offset) = if let Some(clock) = time.strip_suffix('Z') {
            (clock, 0)
        } else if let Some(i) = time.rfind(['+', '-']) {
            let (clock, zone) = time.split_at(i);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, m) = zone[1..].split_once(':')?;
            let (h, m) = (fixed(h, 2)?, fixed(m, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            (clock, sign * (h * 3600 + m * 60))
        } else {
            (time, 0)
        };
        let mut fields = clock.split(':');
        let h = fixed(fields.next()?, 2)?;
        let m = fixed(fields.next()?, 2)?;
        let s = match fields.next() {
            None => 0.0,
            Some(s) => {
                let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
                if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                fixed(whole, 2)? as f64 + format!("0.{fraction}").parse::<f64>().ok()?
            }
        };
        if fields.next().is_some() || h > 23 || m > 59 || s >= 61.0 {
            return None;
        }
        seconds += (h * 3600 + m * 60 - offset) as f64 + s;
    }
    Some(seconds)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A boolean for `Bool` and `Null`: `true` or `false`, as JSON writes them
/// or as strings. IAM compares booleans case-insensitively.
pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An IP address or CIDR range for `IpAddress` / `NotIpAddress` (RFC 4632
/// for IPv4, RFC 4291 for IPv6): the address and the prefix length.
pub fn parse_ip_range(text: &str) -> Option<(IpAddr, u32)> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let bits = match prefix {
        None => max,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
            p.parse().ok().filter(|&n| n <= max)?
        }
        Some(_) => return None,
    };
    Some((addr, bits))
}

/// Whether the address `ip` is in `range` (a [`parse_ip_range`] result).
pub fn ip_in_range(ip: IpAddr, (net, bits): (IpAddr, u32)) -> bool {
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// Whether `text` is base64 (RFC 4648, with padding) for `BinaryEquals`.
pub fn is_base64(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() % 4 == 0
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_iso_8601_or_epoch_seconds() {
        assert_eq!(parse_date("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_date("1970-01-01T01:00:00Z"), Some(3_600.0));
        assert_eq!(parse_date("1970-01-01T01:00:00+01:00"), Some(0.0));
        assert_eq!(parse_date("1970-01-01T00:00:01.5Z"), Some(1.5));
        assert_eq!(parse_date("1700000000"), Some(1_700_000_000.0));
        assert_eq!(
            parse_date("2024-02-29"),
            parse_date("2024-02-28").map(|d| d + 86_400.0)
        );
        for bad in [
            "2020-01-01Tnonsense",
            "2021-02-29",
            "2024-13-01",
            "yesterday",
            "2024-1-1",
            "2024-01-01T25:00Z",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_ips_booleans_and_base64() {
        assert_eq!(parse_number("-1.5e3"), Some(-1500.0));
        assert_eq!(parse_number("1e999"), None);
        assert_eq!(parse_number("ten"), None);
        assert_eq!(parse_bool("True"), Some(true));
        let range = parse_ip_range("203.0.113.0/24").unwrap();
        assert!(ip_in_range("203.0.113.9".parse().unwrap(), range));
        assert!(!ip_in_range("203.0.114.9".parse().unwrap(), range));
        assert!(parse_ip_range("10.0.0.0/33").is_none() && parse_ip_range("2001:db8::/32").is_some());
        assert!(ip_in_range(
            "10.1.2.3".parse().unwrap(),
            parse_ip_range("0.0.0.0/0").unwrap()
        ));
        assert!(is_base64("QmluYXJ5") && !is_base64("not base64!"));
    }
}
