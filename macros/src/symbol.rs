//! The keywords of patternkit's attributes, named once.

pub(crate) const CRATE: &str = "crate";

pub(crate) const FACTORY: &str = "factory";

pub(crate) const INIT: &str = "init";
pub(crate) const TRY_INIT: &str = "try_init";
pub(crate) const ERROR: &str = "error";
pub(crate) const MANUAL: &str = "manual";

pub(crate) const KIND: &str = "kind";
pub(crate) const KIND_DERIVE: &str = "kind_derive";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const PRODUCT: &str = "product";
pub(crate) const NAME: &str = "name";
pub(crate) const ALIAS: &str = "alias";
pub(crate) const SKIP: &str = "skip";
pub(crate) const WITH: &str = "with";
pub(crate) const OTHER: &str = "other";
pub(crate) const CASE_SENSITIVE: &str = "case_sensitive";
pub(crate) const DISPLAY: &str = "display";
pub(crate) const FORMAT: &str = "format";
pub(crate) const KIND_ONLY: &str = "kind_only";
pub(crate) const ARGS: &str = "args";

pub(crate) const STATE_MACHINE: &str = "state_machine";
pub(crate) const STATE: &str = "state";
/// `event = Type` on a state machine, and `#[event]` on a message or handler.
pub(crate) const EVENT: &str = "event";
pub(crate) const CONTEXT: &str = "context";
pub(crate) const HISTORY: &str = "history";
pub(crate) const INITIAL: &str = "initial";
pub(crate) const TRANSITIONS: &str = "transitions";
pub(crate) const SUPERSTATE: &str = "superstate";
pub(crate) const STATES: &str = "states";
pub(crate) const EXHAUSTIVE: &str = "exhaustive";
pub(crate) const BEFORE_EVENT: &str = "before_event";
pub(crate) const ON_TRANSITION: &str = "on_transition";
pub(crate) const ON_UNHANDLED: &str = "on_unhandled";
pub(crate) const LOG: &str = "log";
pub(crate) const DEFER: &str = "defer";
pub(crate) const DISPATCH: &str = "dispatch";
pub(crate) const ENTRY: &str = "entry";
pub(crate) const EXIT: &str = "exit";
pub(crate) const FINAL: &str = "final";
pub(crate) const ALLOW_UNREACHABLE: &str = "allow_unreachable";

pub(crate) const OUTPUT: &str = "output";
pub(crate) const VALIDATE: &str = "validate";
pub(crate) const HANDLES: &str = "handles";
pub(crate) const SUBSCRIBES: &str = "subscribes";
pub(crate) const MIDDLEWARE: &str = "middleware";
pub(crate) const BEHAVIOR: &str = "behavior";
pub(crate) const PARAM: &str = "param";
pub(crate) const LOCAL: &str = "local";
pub(crate) const PUBLISHES: &str = "publishes";
pub(crate) const COMMAND: &str = "command";
pub(crate) const QUERY: &str = "query";
pub(crate) const BUS: &str = "bus";
pub(crate) const HANDLERS: &str = "handlers";

pub(crate) const INJECT: &str = "inject";
pub(crate) const DEFAULT: &str = "default";
pub(crate) const CONSTRUCTOR: &str = "constructor";
pub(crate) const NO_CONSTRUCTOR: &str = "no_constructor";
pub(crate) const CONTAINER: &str = "container";
pub(crate) const PROVIDE: &str = "provide";
pub(crate) const SINGLETON: &str = "singleton";
pub(crate) const TRANSIENT: &str = "transient";

pub(crate) const SAGA: &str = "saga";
pub(crate) const STEP: &str = "step";
pub(crate) const INPUT: &str = "input";
pub(crate) const COMPENSATE: &str = "compensate";
pub(crate) const PIVOT: &str = "pivot";
pub(crate) const RETRIABLE: &str = "retriable";
pub(crate) const ATTEMPTS: &str = "attempts";
pub(crate) const TIMEOUT_MS: &str = "timeout_ms";
