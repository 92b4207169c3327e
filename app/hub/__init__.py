"""The hub server (FastAPI): enrollment, push, pull, forms, admin commands, its own tables."""
