//! Rendering a long list on every core while the output still streams.

use std::io;

use rayon::prelude::*;

/// Items rendered at once: enough to keep both cores busy, few enough that what waits to be
/// written stays small (a subnet renders to about a kilobyte).
const WINDOW: usize = 2048;

/// Items one task renders into one buffer, so that a window costs a few allocations.
const TASK: usize = 64;

/// Renders `items` in parallel, a window at a time, and hands each rendering to `write` in
/// the items' order. At most one window's renderings are held, in buffers used again by
/// the next window.
pub fn write_in_order<T, R>(
    items: &[T],
    render: R,
    mut write: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()>
where
    T: Sync,
    R: Fn(&T, &mut Vec<u8>) -> io::Result<()> + Sync,
{
    if items.len() <= TASK {
        // A short list, like the ranges of one subnet, is not worth spreading.
        let mut piece = Vec::new();
        for item in items {
            piece.clear();
            render(item, &mut piece)?;
            write(&piece)?;
        }
        return Ok(());
    }
    // Per task: the renderings end to end, and where each ends.
    let mut tasks: Vec<(Vec<u8>, Vec<usize>)> = Vec::new();
    for window in items.chunks(WINDOW) {
        let chunks = window.chunks(TASK);
        tasks.resize_with(tasks.len().max(chunks.len()), Default::default);
        (tasks.par_iter_mut().zip(chunks.collect::<Vec<_>>())).try_for_each(
            |((rendered, ends), chunk)| {
                rendered.clear();
                ends.clear();
                for item in chunk {
                    render(item, rendered)?;
                    ends.push(rendered.len());
                }
                io::Result::Ok(())
            },
        )?;
        for (rendered, ends) in &tasks[..window.len().div_ceil(TASK)] {
            let mut start = 0;
            for &end in ends {
                write(&rendered[start..end])?;
                start = end;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_item_once_in_order_across_windows() {
        let items: Vec<usize> = (0..3 * WINDOW + 5).collect();
        let mut written = Vec::new();
        write_in_order(
            &items,
            |n, out| {
                out.extend_from_slice(format!("{n},").as_bytes());
                Ok(())
            },
            |piece| {
                written.extend_from_slice(piece);
                Ok(())
            },
        )
        .unwrap();
        let expected: String = items.iter().map(|n| format!("{n},")).collect();
        assert_eq!(String::from_utf8(written).unwrap(), expected);
    }

    #[test]
    fn a_short_list_is_written_in_order_too() {
        let items: Vec<usize> = (0..TASK).collect();
        let mut written = Vec::new();
        write_in_order(
            &items,
            |n, out| {
                out.push(*n as u8);
                Ok(())
            },
            |piece| {
                written.extend_from_slice(piece);
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(written, (0..TASK as u8).collect::<Vec<_>>());
    }

    #[test]
    fn a_failed_rendering_stops_the_writing() {
        let items: Vec<usize> = (0..TASK + 10).collect();
        let mut writes = 0;
        let result = write_in_order(
            &items,
            |&n, _| match n {
                7 => Err(io::Error::other("no")),
                _ => Ok(()),
            },
            |_| {
                writes += 1;
                Ok(())
            },
        );
        assert!(result.is_err());
        assert_eq!(writes, 0, "nothing of the failed window is written");
    }
}
