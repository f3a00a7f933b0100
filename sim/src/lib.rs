// placeholder: the simulator crate is being written
