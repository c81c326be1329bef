"""Steps for the myths feature: the 2018 article's claims, run and refuted."""
