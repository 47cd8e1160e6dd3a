import sys

from kg.cli import main

if __name__ == "__main__":  # worker processes may import this module: never re-run the CLI
    sys.exit(main())
