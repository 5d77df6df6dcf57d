"""Raw: the inventory of the raw folder, and the scraper that fills it from government sites."""
