//! The commands that read the model without producing findings: `free` (and `show`). They
//! read the plan exactly as `check` does and answer from the model's read API.

pub mod free;
pub mod show;

use crate::model::{Model, SpaceId};
use crate::suggest::closest;

/// The declared space of that name, or a usage error naming the nearest one.
pub fn space_named(model: &Model, name: &str) -> Result<SpaceId, String> {
    model.space_named(name).ok_or_else(|| {
        let names = model
            .declared_spaces()
            .map(|(_, space)| space.name.as_str());
        let hint = closest(name, names)
            .map_or_else(String::new, |near| format!("; did you mean `{near}`?"));
        format!("no space named `{name}`{hint}")
    })
}
