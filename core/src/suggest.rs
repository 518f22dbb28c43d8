//! "Did you mean" suggestions for misspelled names.

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo: an edit distance of at most a third of the word's length (at least
/// 1, Damerau transpositions counting once), or one being a prefix of the
/// other (`kms_key` -> `kms`). Comparison ignores ASCII case, and `-` equals `_`.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let normal = |s: &str| -> Vec<u8> { s.bytes().map(normal_byte).collect() };
    let word_n = normal(word);
    let limit = (word_n.len() / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|candidate| {
            // One is a prefix of the other when their first `shorter` bytes
            // agree (normalizing keeps the length).
            let shorter = word_n.len().min(candidate.len());
            let prefix = shorter >= 3
                && word_n
                    .iter()
                    .copied()
                    .take(shorter)
                    .eq(candidate.bytes().take(shorter).map(normal_byte));
            // The distance is at least the difference in length: skip the
            // table when that alone rules the candidate out.
            if !prefix && word_n.len().abs_diff(candidate.len()) > limit {
                return None;
            }
            let candidate_n = normal(candidate);
            if prefix {
                return Some((edit_distance(&word_n, &candidate_n), candidate));
            }
            if bag_distance(&word_n, &candidate_n) > limit {
                return None;
            }
            distance_within(&word_n, &candidate_n, limit).map(|distance| (distance, candidate))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// `; did you mean `candidate`?` for the [`closest`] candidate, or `""`:
/// the tail of a message in rustc's voice.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default()
}

/// A byte as [`closest`] compares it: ASCII-lowercased, `-` as `_`.
fn normal_byte(b: u8) -> u8 {
    if b == b'-' {
        b'_'
    } else {
        b.to_ascii_lowercase()
    }
}

/// A lower bound of [`edit_distance`]: the larger of the numbers of bytes
/// of each word that the other lacks (counted as multisets). Each edit
/// changes each count by at most one, and a transposition changes neither.
fn bag_distance(a: &[u8], b: &[u8]) -> usize {
    let mut counts = [0i32; 256];
    for &x in a {
        counts[usize::from(x)] += 1;
    }
    for &y in b {
        counts[usize::from(y)] -= 1;
    }
    let (surplus, deficit) = counts.iter().fold((0usize, 0usize), |(s, d), &c| {
        if c > 0 {
            (s + c.unsigned_abs() as usize, d)
        } else {
            (s, d + c.unsigned_abs() as usize)
        }
    });
    surplus.max(deficit)
}

/// [`edit_distance`] if it is at most `limit`, computed in three rolling
/// rows on the stack (names are short) and stopped as soon as two rows in a
/// row exceed the limit (a transposition reaches back two rows; a row's
/// minimum never decreases after that).
fn distance_within(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    const MAX: usize = 64;
    if a.len() >= MAX || b.len() >= MAX || limit >= usize::from(u8::MAX) {
        return Some(edit_distance(a, b)).filter(|&d| d <= limit);
    }
    let width = b.len() + 1;
    let mut rows = [[0u8; MAX]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate().take(width) {
        *cell = j as u8;
    }
    let mut previous_min = 0u8;
    for i in 1..=a.len() {
        let (cur, prev, prev2) = (i % 3, (i + 2) % 3, (i + 1) % 3);
        rows[cur][0] = i as u8;
        let mut row_min = i as u8;
        for j in 1..width {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[prev][j] + 1)
                .min(rows[cur][j - 1] + 1)
                .min(rows[prev][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[prev2][j - 2] + 1);
            }
            rows[cur][j] = best;
            row_min = row_min.min(best);
        }
        if usize::from(row_min) > limit && usize::from(previous_min) > limit {
            return None;
        }
        previous_min = row_min;
    }
    let distance = usize::from(rows[a.len() % 3][b.len()]);
    (distance <= limit).then_some(distance)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions
/// and adjacent transpositions each cost 1.
pub fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in rows.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[(i - 1) * width + j] + 1)
                .min(rows[i * width + j - 1] + 1)
                .min(rows[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[(i - 2) * width + j - 2] + 1);
            }
            rows[i * width + j] = best;
        }
    }
    rows[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [&str; 4] = ["strategy", "kms", "superuser_kms", "source_arn"];

    #[test]
    fn typos_find_their_key() {
        assert_eq!(closest("stratgey", KEYS), Some("strategy"));
        assert_eq!(closest("kms_key", KEYS), Some("kms"));
        assert_eq!(closest("source-arn", KEYS), Some("source_arn"));
        assert_eq!(closest("KMS", KEYS), Some("kms"));
    }

    #[test]
    fn the_bounded_distance_agrees_with_the_full_one() {
        let words = [
            "secretsmanager",
            "secretmanager",
            "deepcomposer",
            "iot1click",
            "iot",
            "kms",
            "sts",
            "ab",
            "",
        ];
        for a in words {
            for b in words {
                for limit in 0..6 {
                    let full = edit_distance(a.as_bytes(), b.as_bytes());
                    let bounded = distance_within(a.as_bytes(), b.as_bytes(), limit);
                    assert_eq!(bounded, (full <= limit).then_some(full), "{a} {b} {limit}");
                    assert!(bag_distance(a.as_bytes(), b.as_bytes()) <= full, "{a} {b}");
                }
            }
        }
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert_eq!(closest("region", KEYS), None);
        assert_eq!(closest("x", KEYS), None);
    }

    #[test]
    fn transposition_costs_one() {
        assert_eq!(edit_distance(b"ab", b"ba"), 1);
        assert_eq!(edit_distance(b"kitten", b"sitting"), 3);
        assert_eq!(edit_distance(b"", b"abc"), 3);
    }
}
