"""Letter pages: `public` for residents and anyone checking a letter, `staff` for villages."""
