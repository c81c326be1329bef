"""Journey profiles (how an app logs users in and out) and acting them out."""
