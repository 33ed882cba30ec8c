// access: queries (filled in by issue 6)
export {};
