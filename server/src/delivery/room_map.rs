//! The rooms of one connection, in a vector sized to them.
//!
//! A connection follows a few rooms (at most `limits::MAX_ROOMS_PER_CONNECTION`), usually one
//! or two, and both its task and its outlet keep a table of them. A hash map's smallest table
//! has room for four entries; this keeps exactly as many as there are, found by a linear
//! search, which for a few entries is as quick as hashing.

use plenum_protocol::RoomId;

#[derive(Debug)]
pub struct RoomMap<V> {
    entries: Vec<(RoomId, V)>,
}

impl<V> Default for RoomMap<V> {
    fn default() -> Self {
        RoomMap {
            entries: Vec::new(),
        }
    }
}

impl<V> RoomMap<V> {
    pub fn get(&self, room: &RoomId) -> Option<&V> {
        self.entries.iter().find(|(r, _)| r == room).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, room: &RoomId) -> Option<&mut V> {
        self.entries
            .iter_mut()
            .find(|(r, _)| r == room)
            .map(|(_, v)| v)
    }

    /// Where `room` is, for [`RoomMap::at_mut`]: valid until the map next changes.
    pub fn find(&self, room: &RoomId) -> Option<usize> {
        self.entries.iter().position(|(r, _)| r == room)
    }

    /// The value at `at`, from [`RoomMap::find`].
    pub fn at_mut(&mut self, at: usize) -> &mut V {
        &mut self.entries[at].1
    }

    pub fn contains_key(&self, room: &RoomId) -> bool {
        self.get(room).is_some()
    }

    /// The value of `room`, made by `make` if there is none.
    pub fn get_or_insert_with(&mut self, room: RoomId, make: impl FnOnce() -> V) -> &mut V {
        let at = match self.entries.iter().position(|(r, _)| *r == room) {
            Some(at) => at,
            None => {
                // Grown by one: a vector would otherwise double (four entries at first).
                self.entries.reserve_exact(1);
                self.entries.push((room, make()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[at].1
    }

    /// Sets `room`'s value; returns the one it replaced.
    pub fn insert(&mut self, room: RoomId, value: V) -> Option<V> {
        match self.get_mut(&room) {
            Some(old) => Some(std::mem::replace(old, value)),
            None => {
                self.get_or_insert_with(room, || value);
                None
            }
        }
    }

    pub fn remove(&mut self, room: &RoomId) -> Option<V> {
        let at = self.entries.iter().position(|(r, _)| r == room)?;
        Some(self.entries.swap_remove(at).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &RoomId> {
        self.entries.iter().map(|(r, _)| r)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn room(s: &str) -> RoomId {
        RoomId::parse(s).unwrap()
    }

    #[test]
    fn holds_each_room_once_and_exactly_as_many_as_there_are() {
        let mut m = RoomMap::default();
        assert!(m.is_empty());
        assert_eq!(m.insert(room("event:ECC"), 1), None);
        assert_eq!(m.insert(room("session:ECC:s1"), 2), None);
        assert_eq!(m.entries.capacity(), 2, "grown one at a time");
        assert_eq!(
            m.insert(room("event:ECC"), 3),
            Some(1),
            "replaced, not added"
        );
        assert_eq!(m.len(), 2);
        assert_eq!(m.get(&room("event:ECC")), Some(&3));
        *m.get_or_insert_with(room("session:ECC:s1"), || 9) += 10;
        assert_eq!(
            m.get(&room("session:ECC:s1")),
            Some(&12),
            "the existing one"
        );
        assert_eq!(*m.get_or_insert_with(room("inbox:ECC:p1"), || 7), 7);
        assert_eq!(m.remove(&room("event:ECC")), Some(3));
        assert_eq!(m.remove(&room("event:ECC")), None);
        assert!(!m.contains_key(&room("event:ECC")));
        let mut keys: Vec<String> = m.keys().map(ToString::to_string).collect();
        keys.sort();
        assert_eq!(keys, ["inbox:ECC:p1", "session:ECC:s1"]);
    }
}
