/** The browser's bar colour: the brand red, or the darker red of large text (9:1 with white text). */
export const themeColour = (largeText: boolean) => (largeText ? "#8a1c15" : "#b3261e");
