"""Reader: a desktop news reader with an offline cache."""

__version__ = "0.1.0"
