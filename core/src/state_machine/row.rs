//! Building a [`TransitionInfo`] in a `const`, as the derive writes its table.
//!
//! A row is written as `to(..)` or `stay(..)` and only what differs from the plain row is
//! added, so the usual row (no guard, no action, entering its target) costs four arguments
//! to evaluate rather than seven fields of `Option`s: the compiler evaluates every machine's
//! table on every build.

use super::TransitionInfo;

impl TransitionInfo {
    /// A row into `target`, which it enters; no guard, no action.
    #[doc(hidden)]
    #[must_use]
    pub const fn to(
        sources: &'static [&'static str],
        source: &'static str,
        event: &'static str,
        target: &'static str,
    ) -> Self {
        TransitionInfo {
            sources,
            source,
            event,
            target: Some(target),
            enters: Some(target),
            guard: None,
            action: None,
        }
    }

    /// An internal row (`=> _`): no target, nothing entered; no guard, no action.
    #[doc(hidden)]
    #[must_use]
    pub const fn stay(
        sources: &'static [&'static str],
        source: &'static str,
        event: &'static str,
    ) -> Self {
        TransitionInfo {
            sources,
            source,
            event,
            target: None,
            enters: None,
            guard: None,
            action: None,
        }
    }

    /// The same row entering `state` (the initial state inside a target superstate).
    #[doc(hidden)]
    #[must_use]
    pub const fn entering(self, state: &'static str) -> Self {
        TransitionInfo {
            enters: Some(state),
            ..self
        }
    }

    /// The same row with a guard, as written.
    #[doc(hidden)]
    #[must_use]
    pub const fn guarded(self, guard: &'static str) -> Self {
        TransitionInfo {
            guard: Some(guard),
            ..self
        }
    }

    /// The same row with an action, as written.
    #[doc(hidden)]
    #[must_use]
    pub const fn acting(self, action: &'static str) -> Self {
        TransitionInfo {
            action: Some(action),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_built_in_steps_is_the_row_written_out() {
        const BUILT: TransitionInfo = TransitionInfo::to(&["A"], "A", "Go", "Parent")
            .entering("Child")
            .guarded("ready")
            .acting("log");
        assert_eq!(
            BUILT,
            TransitionInfo {
                sources: &["A"],
                source: "A",
                event: "Go",
                target: Some("Parent"),
                enters: Some("Child"),
                guard: Some("ready"),
                action: Some("log"),
            }
        );
        let internal = TransitionInfo::stay(&["A", "B"], "_", "Tick");
        assert_eq!((internal.target, internal.enters), (None, None));
    }
}
