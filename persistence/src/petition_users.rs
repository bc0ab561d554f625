//! Açık Kapı desk users (Sorumlu / Yetkili) and their districts and units.
