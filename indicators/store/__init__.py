"""The cache and its refresh: files and manifest, what to ask SSB, the refresh run, the derived layer, the read side."""
