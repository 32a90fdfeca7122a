"""The parts of the Library facade (reader.library), one concern each, over a base holding the
store, the fetcher and the settings."""
