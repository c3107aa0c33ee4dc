from __future__ import annotations

from reader.cli import main

if __name__ == "__main__":
    main()
