@sessions @serialisation
Feature: What a value stored in the session comes back as
  A session keeps only what its serializer can write down, and what comes
  back is what the serializer could read back, which is not always what was
  stored.

  Flask's cookie sessions use a tagged JSON format that brings a tuple, bytes,
  a UUID, Markup and an aware datetime back as themselves, also inside a list
  or a dict (J-01); a dict whose only key looks like one of its tags (" t")
  is escaped so that it comes back as the dict it was (J-05). A naive
  datetime comes back as an aware one in UTC, so it no longer equals the value
  stored (J-02). A date, a Decimal and integer dict keys come back as strings
  (J-03).

  Flask-Session keeps the session in Redis, encoded with msgpack by default.
  That keeps bytes, aware datetimes and integer keys, but turns tuples and sets
  into lists and a UUID, a naive datetime, a date and a Decimal into ISO or
  plain strings.

  A value the serializer cannot write (a set in a cookie session, Markup in
  Redis) is accepted when the view stores it. The error comes only when Flask
  saves the session at the end of the request, after the view returned, and
  nothing is saved (J-04). The app under test runs with TESTING on, so that
  error escapes the request.

  The values are the kit's named samples; "the same <type>" means a value of
  that type equal to the one stored.

  @J-01 @J-02 @J-03 @J-04 @backend-difference
  Scenario Outline: What the <sample> sample comes back as
    When Alice stores the <sample> sample under "value" in the session
    Then what comes back under "value" depends on the backend:
      | backend | comes back as |
      | cookie  | <cookie>      |
      | redis   | <redis>       |

    Examples: Values both backends give back unchanged
      | sample         | cookie            | redis             |
      | string         | the same str      | the same str      |
      | list           | the same list     | the same list     |
      | bytes          | the same bytes    | the same bytes    |
      | aware datetime | the same datetime | the same datetime |

    Examples: Values that change type, or cannot be saved
      | sample                   | cookie                                          | redis                                             |
      | tuple                    | the same tuple                                  | a list: [1, 2]                                    |
      | UUID                     | the same UUID                                   | the string "12345678-1234-5678-1234-567812345678" |
      | naive datetime           | a datetime equal to the "aware datetime" sample | the string "2030-01-02T03:04:05"                  |
      | date                     | the string "Wed, 02 Jan 2030 00:00:00 GMT"      | the string "2030-01-02"                           |
      | Decimal                  | the string "1.5"                                | the string "1.5"                                  |
      | dict with an integer key | a dict: {'1': 'one'}                            | the same dict                                     |
      | Markup                   | the same Markup                                 | nothing: saving fails with TypeError              |
      | set                      | nothing: saving fails with TypeError            | a list: [1, 2]                                    |

    @J-05
    Examples: Values nested in a list, and a dict that looks like a tag
      | sample                         | cookie        | redis                         |
      | list holding a tuple and bytes | the same list | a list: [[1, 2], b'\xff']     |
      | dict with a tag-like key       | the same dict | the same dict                 |
