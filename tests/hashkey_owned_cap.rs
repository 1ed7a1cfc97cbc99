//! `OwnedShardMap::from_layout` materialises at most `MAX_LAYOUT_SHARDS` shards: above that it
//! refuses with `LayoutError::TooManyShards`, before allocating anything.

use kinesis_codec::hashkey::{Layout, LayoutError, OwnedShardMap, MAX_LAYOUT_SHARDS};

#[test]
fn from_layout_refuses_more_than_the_cap() {
    for layout in [Layout::Aws, Layout::KinesisMock] {
        for n in [MAX_LAYOUT_SHARDS + 1, 2_000_000_000, u32::MAX] {
            assert_eq!(
                OwnedShardMap::from_layout(layout, n).unwrap_err(),
                LayoutError::TooManyShards { requested: n },
                "{layout:?} {n}"
            );
        }
        assert_eq!(
            OwnedShardMap::from_layout(layout, 0).unwrap_err(),
            LayoutError::ZeroShards
        );
    }
}

#[test]
fn from_layout_builds_up_to_the_cap() {
    let map = OwnedShardMap::from_layout(Layout::Aws, MAX_LAYOUT_SHARDS).unwrap();
    assert_eq!(map.open_shards().len(), MAX_LAYOUT_SHARDS as usize);
    assert_eq!(
        map.open_shards().last().unwrap().id.to_string(),
        format!("shardId-{:012}", MAX_LAYOUT_SHARDS - 1)
    );
}
