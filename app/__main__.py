"""`python -m app` runs the `readiness` command."""

import sys

from app.cli import main

sys.exit(main())
