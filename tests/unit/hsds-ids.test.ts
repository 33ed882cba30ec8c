import { derivedId, DNS_NAMESPACE, HSDS_NAMESPACE, isUuid, uuidv5 } from "~/domains/hsds/ids.server";

describe("uuidv5", () => {
  it("matches RFC 9562's example (Appendix A.4: www.example.com in the DNS namespace)", () => {
    expect(uuidv5("www.example.com", DNS_NAMESPACE)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("matches Python's uuid.uuid5 on another name, and UTF-8 names", () => {
    // python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"))'
    expect(uuidv5("python.org", DNS_NAMESPACE)).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    const chinese = uuidv5("解放桥社区", HSDS_NAMESPACE);
    expect(isUuid(chinese)).toBe(true);
    expect(chinese[14]).toBe("5");
    expect(["8", "9", "a", "b"]).toContain(chinese[19]);
  });

  it("derives the same id from the same parent and part, another from any other", () => {
    const parent = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect(derivedId(parent, "address")).toBe(derivedId(parent.toUpperCase(), "address"));
    expect(derivedId(parent, "address")).not.toBe(derivedId(parent, "phone"));
    expect(derivedId(parent, "schedule", "week/1/0")).not.toBe(derivedId(parent, "schedule", "week/1/1"));
    expect(() => uuidv5("x", "not-a-uuid")).toThrow();
  });
});
