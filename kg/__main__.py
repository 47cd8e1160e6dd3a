import sys

try:
    from kg.cli import entry
except KeyboardInterrupt:  # Ctrl-C while the modules load: the same exit as later on
    sys.stderr.write("kg: interrupted\n")
    sys.exit(130)

if __name__ == "__main__":  # worker processes may import this module: never re-run the CLI
    entry()
