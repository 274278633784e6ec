"""HTTP plumbing shared by the JSON API and the pages: sessions, tokens, problems, paging, conditional GET."""
