"""The Store, split by domain into mixins over one base (see reader.store.storage)."""
