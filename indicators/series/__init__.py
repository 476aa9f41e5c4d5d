"""Series computation: from raw responses and files to one tidy series per indicator."""
