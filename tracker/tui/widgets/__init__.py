"""The tracker's own widgets: the fast table, its columns and cells, the footer, the search."""
