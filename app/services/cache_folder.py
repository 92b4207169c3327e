"""The data folder's `cache/`: files the product can always rebuild from the database.

Parsed questionnaires (questionnaire_cache) and the assessment list's scores (assessment_list)
live here. Deleting the folder loses nothing; the next start is only slower.
"""

from __future__ import annotations

from pathlib import Path

from app.common.paths import DataPaths

CACHE_DIR = "cache"


def cache_dir(paths: DataPaths) -> Path:
    return paths.root / CACHE_DIR
