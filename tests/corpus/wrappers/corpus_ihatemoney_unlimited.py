"""ihatemoney's settings for the kit's run with a profile: the deployer's settings
(corpus_ihatemoney_settings) with Flask-Limiter's login limit (3 a minute) lifted, as
ihatemoney's own tests lift it. The kit logs in far more often than a person; ihatemoney
reads its settings while it is built, so a profile's [config] would come too late."""
from corpus_ihatemoney_settings import *

RATELIMIT_ENABLED = False
