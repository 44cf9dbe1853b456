//! Building a state's data when a row has no action to return it.

/// Builds the data of a state entered by a row without an action.
#[diagnostic::on_unimplemented(
    message = "`#[derive(StateMachine)]` cannot build the state data `{Self}`: it does not implement `Default`",
    label = "`{Self}` has no `Default` implementation",
    note = "give every row that enters this state an action (`then path`) returning its data, \
            or implement `Default` for `{Self}`"
)]
pub trait StateData: Sized {
    /// The data, from `Default`.
    fn state_default() -> Self;
}

impl<T: Default> StateData for T {
    #[inline]
    fn state_default() -> Self {
        T::default()
    }
}
