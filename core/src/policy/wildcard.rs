//! IAM's wildcards: `*` matches any run of characters (none included), `?`
//! exactly one (IAM User Guide, "IAM JSON policy elements: Resource" and
//! "String condition operators"). The one matcher of the crate: actions,
//! resources, `...Like` condition values and ARN condition values all go
//! through it.

/// One element of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// A character that must be there (a policy variable's value, `${*}` as a
    /// literal `*`, or any character of a pattern that takes no wildcards).
    Char(char),
    /// `*`: any run of characters.
    AnyRun,
    /// `?`: any one character.
    AnyOne,
}

/// A pattern: characters and wildcards.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pattern {
    tokens: Vec<Token>,
}

impl Pattern {
    /// `text` with `*` and `?` as wildcards.
    pub fn wildcard(text: &str) -> Pattern {
        let mut p = Pattern::default();
        p.push_wildcard_text(text);
        p
    }

    /// `text` as literal characters.
    pub fn literal(text: &str) -> Pattern {
        let mut p = Pattern::default();
        p.push_literal(text);
        p
    }

    /// Appends `text`, `*` and `?` as wildcards.
    pub fn push_wildcard_text(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(|c| match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyOne,
            c => Token::Char(c),
        }));
    }

    /// Appends `text` as literal characters.
    pub fn push_literal(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(Token::Char));
    }

    /// The tokens.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Whether the pattern has a wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.tokens.iter().any(|t| !matches!(t, Token::Char(_)))
    }

    /// The pattern's literal text when it has no wildcard.
    pub fn as_literal(&self) -> Option<String> {
        self.tokens.iter().map(|t| t.char()).collect()
    }

    /// Whether `text` matches, case-sensitively.
    pub fn matches(&self, text: &str) -> bool {
        matches_tokens(&self.tokens, text, false)
    }

    /// Whether `text` matches, ignoring ASCII case.
    pub fn matches_ignore_case(&self, text: &str) -> bool {
        matches_tokens(&self.tokens, text, true)
    }

    /// Splits the pattern at its first `limit - 1` literal `:` (ARN fields).
    pub fn split_fields(&self, limit: usize) -> Vec<Pattern> {
        let mut out = vec![Pattern::default()];
        for &t in &self.tokens {
            if t == Token::Char(':') && out.len() < limit {
                out.push(Pattern::default());
            } else if let Some(last) = out.last_mut() {
                last.tokens.push(t);
            }
        }
        out
    }
}

impl Token {
    fn char(self) -> Option<char> {
        match self {
            Token::Char(c) => Some(c),
            Token::AnyRun | Token::AnyOne => None,
        }
    }
}

/// Whether `text` matches the wildcard pattern `pattern`, case-sensitively
/// (resource ARNs, `StringLike`).
pub fn matches(pattern: &str, text: &str) -> bool {
    Pattern::wildcard(pattern).matches(text)
}

/// Whether `text` matches the wildcard pattern `pattern`, ignoring ASCII
/// case (action names and service prefixes: IAM User Guide, "Action": "the
/// prefix and the action name are case insensitive").
pub fn matches_ignore_case(pattern: &str, text: &str) -> bool {
    Pattern::wildcard(pattern).matches_ignore_case(text)
}

/// Whether `text` has a `*` or `?`.
pub fn has_wildcard(text: &str) -> bool {
    // Both are ASCII, and no byte of another UTF-8 character is ASCII.
    text.bytes().any(|b| b == b'*' || b == b'?')
}

/// The classic linear-space matcher: on a mismatch, go back to the last `*`
/// and let it take one more character. `?` takes exactly one character (not
/// one byte).
fn matches_tokens(pattern: &[Token], text: &str, ignore_case: bool) -> bool {
    let text: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::AnyOne) => {
                p += 1;
                t += 1;
            }
            Some(Token::Char(c)) if same(*c, text[t]) => {
                p += 1;
                t += 1;
            }
            Some(Token::AnyRun) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..]
        .iter()
        .all(|t| *t == Token::AnyRun)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_and_question_mark() {
        assert!(matches("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"));
        assert!(matches("arn:aws:s3:::b?", "arn:aws:s3:::b1"));
        assert!(!matches("arn:aws:s3:::B/*", "arn:aws:s3:::b/x"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "aXXbYYc") && !matches("a*b*c", "aXXbYY"));
        assert!(matches_ignore_case(
            "secretsmanager:get*",
            "secretsmanager:GetSecretValue"
        ));
        assert!(!matches("secretsmanager:get*", "secretsmanager:GetSecretValue"));
    }

    #[test]
    fn question_mark_is_one_character_not_one_byte() {
        assert!(matches("caf?", "café"));
        assert!(!matches("caf??", "café"));
    }

    #[test]
    fn literal_characters_are_not_wildcards() {
        let mut p = Pattern::wildcard("a");
        p.push_literal("*");
        assert!(p.matches("a*") && !p.matches("ab"));
        assert!(!p.has_wildcard() && Pattern::wildcard("a*").has_wildcard());
    }

    #[test]
    fn fields_split_at_literal_colons_only() {
        let p = Pattern::wildcard("arn:aws:iam::*:role/a:b");
        let fields = p.split_fields(6);
        assert_eq!(fields.len(), 6);
        assert!(fields[5].matches("role/a:b"));
    }
}
