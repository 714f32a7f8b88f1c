"""`make demo`: a day of Crosspay told step by step with named actors, its checks and tables, and the load mode."""
