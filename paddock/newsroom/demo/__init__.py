"""The demo newsroom: its content as plain data, its illustrations and the loader."""
