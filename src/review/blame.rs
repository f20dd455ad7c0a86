//! Blame lands on the change (SPEC §11): the pairwise rules report a conflict on the later
//! of two declarations in canonical order, and name the earlier one as related. Reordering
//! the model's lists so that every declaration the base has comes before every one it does
//! not (each group in canonical order) makes the new declaration the later one, with no
//! rule knowing about the base.

use crate::model::Model;

use super::identity::Kind;

/// Moves, in each of the model's lists, the declarations `present` marks ahead of the rest,
/// keeping the order within each group. To be done before the model is indexed.
pub fn put_present_first(model: &mut Model, present: &[Vec<bool>; 4]) {
    partition(&mut model.blocks, &present[Kind::Block as usize]);
    partition(&mut model.subnets, &present[Kind::Subnet as usize]);
    partition(&mut model.ranges, &present[Kind::Range as usize]);
    partition(&mut model.addresses, &present[Kind::Address as usize]);
}

/// A stable partition: the items marked, then the others.
fn partition<T>(items: &mut Vec<T>, marked: &[bool]) {
    debug_assert_eq!(items.len(), marked.len());
    if marked.iter().all(|&m| m) {
        return;
    }
    let mut first = Vec::with_capacity(items.len());
    let mut rest = Vec::new();
    for (item, &is_marked) in std::mem::take(items).into_iter().zip(marked) {
        if is_marked {
            first.push(item);
        } else {
            rest.push(item);
        }
    }
    first.append(&mut rest);
    *items = first;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marked_come_first_each_group_in_its_order() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        partition(&mut items, &[false, true, false, true, true]);
        assert_eq!(items, ['b', 'd', 'e', 'a', 'c']);
    }
}
