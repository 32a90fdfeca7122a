"""Shared by the item models: the index type Qt passes in, and the root index as a default."""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invalid index: "the top level" in rowCount(parent) and friends
