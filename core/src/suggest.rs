//! "Did you mean" suggestions for misspelled names.

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo: an edit distance of at most a third of the word's length (at least
/// 1, Damerau transpositions counting once), or one being a prefix of the
/// other (`kms_key` -> `kms`). Comparison ignores ASCII case, and `-` equals `_`.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let normal = |s: &str| -> Vec<u8> {
        s.bytes()
            .map(|b| if b == b'-' { b'_' } else { b.to_ascii_lowercase() })
            .collect()
    };
    let word_n = normal(word);
    let limit = (word_n.len() / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|candidate| {
            let cand_n = normal(candidate);
            let distance = edit_distance(&word_n, &cand_n);
            let prefix = word_n.len().min(cand_n.len()) >= 3
                && (word_n.starts_with(&cand_n) || cand_n.starts_with(&word_n));
            (distance <= limit || prefix).then_some((distance, candidate))
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
