"""What the JSON API and the pages share over HTTP: dependencies, problems, paging, conditional GET, security."""
