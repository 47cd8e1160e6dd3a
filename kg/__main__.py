from kg.cli import entry

if __name__ == "__main__":  # worker processes may import this module: never re-run the CLI
    entry()
