//! The `rename_all` styles, as serde names them plus `Title Case`, `Train-Case` and
//! `verbatim`, applied to a variant's identifier.

#[derive(Clone, Copy)]
pub(super) enum RenameStyle {
    /// The identifier as written (strum's default).
    Verbatim,
    Title,
    Train,
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

pub(super) const STYLES: &str = "\"snake_case\" (the default), \"verbatim\" (as written), \
                                 \"lowercase\", \"UPPERCASE\", \"PascalCase\", \"camelCase\", \
                                 \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \
                                 \"SCREAMING-KEBAB-CASE\", \"Title Case\", \"Train-Case\"";

impl RenameStyle {
    pub(super) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "verbatim" => Self::Verbatim,
            "Title Case" => Self::Title,
            "Train-Case" => Self::Train,
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// The style whose name differs from `name` only in case, spaces, `_` and `-`.
    pub(super) fn near(name: &str) -> Option<&'static str> {
        let key = |s: &str| -> String {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        let wanted = key(name);
        [
            "verbatim",
            "Title Case",
            "Train-Case",
            "lowercase",
            "UPPERCASE",
            "PascalCase",
            "camelCase",
            "snake_case",
            "SCREAMING_SNAKE_CASE",
            "kebab-case",
            "SCREAMING-KEBAB-CASE",
        ]
        .into_iter()
        .find(|style| key(style) == wanted)
    }

    /// `ident` (a variant's name without any `r#`, normally `PascalCase`) in this style.
    pub(super) fn apply(self, ident: &str) -> String {
        let words = words(ident);
        let joined = |sep: &str, upper: bool| {
            words
                .iter()
                .map(|w| {
                    if upper {
                        w.to_uppercase()
                    } else {
                        w.to_lowercase()
                    }
                })
                .collect::<Vec<_>>()
                .join(sep)
        };
        let capitalized = |sep: &str| {
            words
                .iter()
                .map(|w| capitalize(w))
                .collect::<Vec<_>>()
                .join(sep)
        };
        match self {
            Self::Verbatim => ident.to_owned(),
            Self::Title => capitalized(" "),
            Self::Train => capitalized("-"),
            Self::Lower => ident.to_lowercase(),
            Self::Upper => ident.to_uppercase(),
            Self::Pascal => capitalized(""),
            Self::Camel => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_lowercase()
                    } else {
                        capitalize(w)
                    }
                })
                .collect(),
            Self::Snake => joined("_", false),
            Self::ScreamingSnake => joined("_", true),
            Self::Kebab => joined("-", false),
            Self::ScreamingKebab => joined("-", true),
        }
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect()
    })
}

/// Splits `HttpServer2Go`, `HTTPServer` and `http_server` alike into words: a new word starts
/// at an underscore, at a capital after a lower-case letter or digit, and at the last capital
/// of a run of capitals that a lower-case letter follows.
fn words(ident: &str) -> Vec<String> {
    let chars: Vec<char> = ident.chars().collect();
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' || c == '-' {
            if !word.is_empty() {
                words.push(core::mem::take(&mut word));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let starts_word = c.is_uppercase()
            && !word.is_empty()
            && (prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase)
                    && next.is_some_and(|n| n.is_lowercase())));
        if starts_word {
            words.push(core::mem::take(&mut word));
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::RenameStyle;

    #[test]
    fn styles() {
        let cases = [
            ("lowercase", "httpserver"),
            ("UPPERCASE", "HTTPSERVER"),
            ("PascalCase", "HttpServer"),
            ("camelCase", "httpServer"),
            ("snake_case", "http_server"),
            ("SCREAMING_SNAKE_CASE", "HTTP_SERVER"),
            ("kebab-case", "http-server"),
            ("SCREAMING-KEBAB-CASE", "HTTP-SERVER"),
            ("Title Case", "Http Server"),
            ("Train-Case", "Http-Server"),
        ];
        for (style, expected) in cases {
            let style = RenameStyle::from_name(style).unwrap();
            assert_eq!(style.apply("HTTPServer"), expected);
            assert_eq!(style.apply("HttpServer"), expected);
        }
        let snake = RenameStyle::Snake;
        assert_eq!(snake.apply("Email"), "email");
        assert_eq!(snake.apply("Sms2Fa"), "sms2_fa");
        assert_eq!(snake.apply("PushNotification"), "push_notification");
        assert_eq!(RenameStyle::Verbatim.apply("HTTPServer"), "HTTPServer");
        assert_eq!(RenameStyle::Verbatim.apply("Sms2Fa"), "Sms2Fa");
        assert_eq!(
            RenameStyle::Title.apply("PushNotification"),
            "Push Notification"
        );
        assert!(RenameStyle::from_name("title case").is_none());
    }
}
