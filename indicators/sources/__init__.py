"""Where a series comes from: one source class per kind (SSB table, csv file) behind one interface."""
