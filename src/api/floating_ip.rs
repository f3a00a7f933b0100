//! API calls for this family (being written).
