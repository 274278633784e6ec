"""The use cases: every rule that needs the database, called alike by the API, the pages, the CLI and the loader."""
