//! `Serialize` for the runtime types (feature `serde`). The state itself is the user's own
//! enum: deriving `Serialize` and `Deserialize` on it next to `StateMachine` saves and
//! restores it.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::{Fired, InvalidTransition, MachineTable, Rejection, TransitionInfo};

impl Serialize for TransitionInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_struct("TransitionInfo", 7)?;
        row.serialize_field("sources", self.sources)?;
        row.serialize_field("source", self.source)?;
        row.serialize_field("event", self.event)?;
        row.serialize_field("target", &self.target)?;
        row.serialize_field("enters", &self.enters)?;
        row.serialize_field("guard", &self.guard)?;
        row.serialize_field("action", &self.action)?;
        row.end()
    }
}

impl<M: MachineTable> Serialize for Fired<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fired = serializer.serialize_struct("Fired", 3)?;
        fired.serialize_field("from", self.from())?;
        fired.serialize_field("to", self.to())?;
        fired.serialize_field("transition", self.transition())?;
        fired.end()
    }
}

impl Serialize for Rejection {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Rejection::NoTransition => {
                serializer.serialize_unit_variant("Rejection", 0, "NoTransition")
            }
            Rejection::GuardsRejected => {
                serializer.serialize_unit_variant("Rejection", 1, "GuardsRejected")
            }
        }
    }
}

impl<M: MachineTable> Serialize for InvalidTransition<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut error = serializer.serialize_struct("InvalidTransition", 4)?;
        error.serialize_field("machine", self.machine())?;
        error.serialize_field("state", self.state())?;
        error.serialize_field("event", self.event())?;
        error.serialize_field("rejection", &self.rejection())?;
        error.end()
    }
}
