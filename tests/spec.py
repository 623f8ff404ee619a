"""Tables copied from the product specification (clinical-rules.md), for tests to pin.

Written once here, in the spec's own order and numbers, so every test that checks the
Kujala scale checks it against the same published values.
"""

# Section 1: option points as published (Kujala 1993), best option first.
AKPS_POINTS = {
    "akps_limp": [5, 3, 0],
    "akps_support": [5, 3, 0],
    "akps_walking": [5, 3, 2, 0],
    "akps_stairs": [10, 8, 5, 0],
    "akps_squatting": [5, 4, 3, 2, 0],
    "akps_running": [10, 8, 6, 3, 0],
    "akps_jumping": [10, 7, 2, 0],
    "akps_sitting": [10, 8, 6, 4, 0],
    "akps_pain": [10, 8, 6, 3, 0],
    "akps_swelling": [10, 8, 6, 4, 0],
    "akps_kneecap": [10, 6, 4, 2, 0],
    "akps_wasting": [5, 3, 0],
    "akps_bending": [5, 3, 0],
}
# Section 1: each item's maximum, stated separately in the spec.
AKPS_MAXIMA = {
    "akps_limp": 5,
    "akps_support": 5,
    "akps_walking": 5,
    "akps_stairs": 10,
    "akps_squatting": 5,
    "akps_running": 10,
    "akps_jumping": 10,
    "akps_sitting": 10,
    "akps_pain": 10,
    "akps_swelling": 10,
    "akps_kneecap": 10,
    "akps_wasting": 5,
    "akps_bending": 5,
}
