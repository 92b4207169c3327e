"""Use cases the faces call. A service opens one unit of work and combines the adapters in it."""
