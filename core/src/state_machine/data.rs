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

/// Building the initial state's data when the table does not give it.
#[diagnostic::on_unimplemented(
    message = "`#[derive(StateMachine)]` cannot build the initial state's data `{Self}`: it does not implement `Default`",
    label = "`{Self}` has no `Default` implementation",
    note = "give the data in the table, `initial = State(expression)`, or implement `Default` for `{Self}`"
)]
pub trait InitialData: Sized {
    /// The data, from `Default`.
    fn initial_default() -> Self;
}

impl<T: Default> InitialData for T {
    #[inline]
    fn initial_default() -> Self {
        T::default()
    }
}
