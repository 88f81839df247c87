/**
 * The demo marketplace: a 3-level category tree, stores and product templates from which the seed
 * makes realistic listings. Plain data; `demo.ts` turns it into API calls.
 */
export type SpecTemplate = { key: string; nameZh: string; nameEn: string; values: string[] };
export type LeafTemplate = {
  nameZh: string;
  nameEn: string;
  specs: SpecTemplate[];
  brands: string[];
  /** Title stems; the seed adds a brand, a selling point and a model. */
  items: string[];
  /** Price range in fen. */
  price: [number, number];
  weightGrams: number;
};
export type CategoryTemplate = { nameZh: string; nameEn: string; children: { nameZh: string; nameEn: string; leaves: LeafTemplate[] }[] };

const color = (...values: string[]): SpecTemplate => ({ key: 'color', nameZh: '颜色', nameEn: 'Colour', values });
const size = (...values: string[]): SpecTemplate => ({ key: 'size', nameZh: '尺码', nameEn: 'Size', values });
const capacity = (...values: string[]): SpecTemplate => ({ key: 'capacity', nameZh: '容量', nameEn: 'Capacity', values });
const weight = (...values: string[]): SpecTemplate => ({ key: 'net_weight', nameZh: '净含量', nameEn: 'Net weight', values });
const storage = (...values: string[]): SpecTemplate => ({ key: 'storage', nameZh: '存储容量', nameEn: 'Storage', values });

export const categoryTree: CategoryTemplate[] = [
  {
    nameZh: '服饰鞋包',
    nameEn: 'Fashion',
    children: [
      {
        nameZh: '男装',
        nameEn: 'Menswear',
        leaves: [
          { nameZh: 'T恤', nameEn: 'T-shirts', specs: [color('白色', '黑色', '藏青'), size('M', 'L', 'XL')], brands: ['棉舍', '简述', 'URBANIC'], items: ['纯棉圆领短袖T恤', '重磅宽松T恤', '速干运动T恤'], price: [3900, 12900], weightGrams: 220 },
          { nameZh: '衬衫', nameEn: 'Shirts', specs: [color('白色', '浅蓝'), size('M', 'L', 'XL')], brands: ['简述', '雅致'], items: ['免烫商务长袖衬衫', '牛津纺休闲衬衫'], price: [8900, 25900], weightGrams: 260 },
          { nameZh: '牛仔裤', nameEn: 'Jeans', specs: [color('浅蓝', '深蓝'), size('30', '32', '34')], brands: ['蓝调', 'URBANIC'], items: ['直筒弹力牛仔裤', '修身小脚牛仔裤'], price: [12900, 29900], weightGrams: 600 },
        ],
      },
      {
        nameZh: '女装',
        nameEn: 'Womenswear',
        leaves: [
          { nameZh: '连衣裙', nameEn: 'Dresses', specs: [color('米白', '雾蓝', '碎花'), size('S', 'M', 'L')], brands: ['初夏', '素语'], items: ['法式碎花连衣裙', '收腰气质长裙', '针织背心裙'], price: [15900, 45900], weightGrams: 300 },
          { nameZh: '卫衣', nameEn: 'Hoodies', specs: [color('灰色', '奶白', '黑色'), size('S', 'M', 'L')], brands: ['素语', '棉舍'], items: ['加绒连帽卫衣', '圆领宽松卫衣'], price: [9900, 22900], weightGrams: 520 },
        ],
      },
      {
        nameZh: '鞋靴箱包',
        nameEn: 'Shoes & bags',
        leaves: [
          { nameZh: '运动鞋', nameEn: 'Sneakers', specs: [color('白色', '黑色'), size('39', '40', '41', '42')], brands: ['疾风', '跃动'], items: ['轻便透气跑步鞋', '复古板鞋', '缓震慢跑鞋'], price: [19900, 69900], weightGrams: 800 },
          { nameZh: '双肩包', nameEn: 'Backpacks', specs: [color('黑色', '灰色', '军绿')], brands: ['行者', 'URBANIC'], items: ['大容量通勤双肩包', '防泼水电脑背包'], price: [12900, 39900], weightGrams: 900 },
        ],
      },
    ],
  },
  {
    nameZh: '手机数码',
    nameEn: 'Phones & digital',
    children: [
      {
        nameZh: '手机通讯',
        nameEn: 'Phones',
        leaves: [
          { nameZh: '手机', nameEn: 'Smartphones', specs: [color('曜石黑', '冰川白', '远峰蓝'), storage('128GB', '256GB', '512GB')], brands: ['星辰', '极光', '华彩'], items: ['5G 全网通智能手机', '影像旗舰手机', '长续航手机'], price: [129900, 699900], weightGrams: 200 },
          { nameZh: '手机壳', nameEn: 'Phone cases', specs: [color('透明', '磨砂黑', '樱花粉')], brands: ['护盾', '简品'], items: ['iPhone 15 手机壳 防摔', '磁吸硅胶手机壳', '全包镜头保护壳'], price: [1900, 8900], weightGrams: 40 },
          { nameZh: '充电器', nameEn: 'Chargers', specs: [color('白色', '黑色')], brands: ['闪充', '极光'], items: ['65W 氮化镓快充充电器', '20W PD 快充头'], price: [3900, 16900], weightGrams: 120 },
        ],
      },
      {
        nameZh: '影音娱乐',
        nameEn: 'Audio',
        leaves: [
          { nameZh: '耳机', nameEn: 'Earphones', specs: [color('白色', '黑色', '雾蓝')], brands: ['声浪', '极光'], items: ['主动降噪蓝牙耳机', '运动挂耳式耳机', '头戴式无线耳机'], price: [9900, 149900], weightGrams: 60 },
          { nameZh: '蓝牙音箱', nameEn: 'Speakers', specs: [color('黑色', '森林绿')], brands: ['声浪'], items: ['便携防水蓝牙音箱', '桌面复古音箱'], price: [12900, 59900], weightGrams: 500 },
        ],
      },
      {
        nameZh: '电脑办公',
        nameEn: 'Computers',
        leaves: [
          { nameZh: '键盘', nameEn: 'Keyboards', specs: [color('白色', '黑色'), { key: 'switch', nameZh: '轴体', nameEn: 'Switch', values: ['红轴', '茶轴'] }], brands: ['键客', '极光'], items: ['机械键盘 87键', '无线静音键盘'], price: [9900, 59900], weightGrams: 900 },
          { nameZh: '鼠标', nameEn: 'Mice', specs: [color('白色', '黑色')], brands: ['键客'], items: ['无线静音鼠标', '人体工学鼠标'], price: [4900, 29900], weightGrams: 100 },
        ],
      },
    ],
  },
  {
    nameZh: '家用电器',
    nameEn: 'Home appliances',
    children: [
      {
        nameZh: '厨房电器',
        nameEn: 'Kitchen',
        leaves: [
          { nameZh: '电饭煲', nameEn: 'Rice cookers', specs: [capacity('3L', '4L', '5L')], brands: ['厨忆', '美味家'], items: ['智能预约电饭煲', 'IH 电磁加热电饭煲'], price: [19900, 89900], weightGrams: 4000 },
          { nameZh: '空气炸锅', nameEn: 'Air fryers', specs: [capacity('4.5L', '6L')], brands: ['厨忆', '轻食'], items: ['无油空气炸锅', '可视窗空气炸锅'], price: [19900, 59900], weightGrams: 4500 },
          { nameZh: '电水壶', nameEn: 'Kettles', specs: [capacity('1.5L', '1.8L')], brands: ['美味家'], items: ['304 不锈钢电水壶', '恒温调奶电水壶'], price: [5900, 19900], weightGrams: 1200 },
        ],
      },
      {
        nameZh: '生活电器',
        nameEn: 'Household',
        leaves: [
          { nameZh: '吸尘器', nameEn: 'Vacuums', specs: [color('白色', '灰色')], brands: ['洁净', '轻风'], items: ['无线手持吸尘器', '扫拖一体机器人'], price: [49900, 299900], weightGrams: 3000 },
          { nameZh: '电风扇', nameEn: 'Fans', specs: [color('白色')], brands: ['轻风'], items: ['静音落地扇', '循环空气扇'], price: [12900, 49900], weightGrams: 5000 },
        ],
      },
    ],
  },
  {
    nameZh: '美妆个护',
    nameEn: 'Beauty',
    children: [
      {
        nameZh: '护肤',
        nameEn: 'Skincare',
        leaves: [
          { nameZh: '面霜', nameEn: 'Creams', specs: [capacity('30ml', '50ml')], brands: ['水漾', '植萃'], items: ['保湿修护面霜', '清爽控油乳霜'], price: [8900, 49900], weightGrams: 150 },
          { nameZh: '洁面', nameEn: 'Cleansers', specs: [capacity('100g', '150g')], brands: ['植萃'], items: ['氨基酸温和洁面乳', '清透洗面奶'], price: [4900, 15900], weightGrams: 180 },
        ],
      },
      {
        nameZh: '个人护理',
        nameEn: 'Personal care',
        leaves: [
          { nameZh: '洗发水', nameEn: 'Shampoo', specs: [capacity('400ml', '750ml')], brands: ['丝语', '植萃'], items: ['无硅油蓬松洗发水', '去屑止痒洗发露'], price: [3900, 12900], weightGrams: 800 },
          { nameZh: '电动牙刷', nameEn: 'Electric toothbrushes', specs: [color('白色', '粉色', '黑色')], brands: ['净齿'], items: ['声波电动牙刷', '儿童电动牙刷'], price: [9900, 49900], weightGrams: 200 },
        ],
      },
    ],
  },
  {
    nameZh: '食品生鲜',
    nameEn: 'Food',
    children: [
      {
        nameZh: '茶饮冲调',
        nameEn: 'Tea & drinks',
        leaves: [
          { nameZh: '茶叶', nameEn: 'Tea', specs: [weight('125g', '250g')], brands: ['山野', '岩韵'], items: ['武夷山大红袍', '明前西湖龙井', '云南普洱熟茶'], price: [6900, 59900], weightGrams: 300 },
          { nameZh: '咖啡', nameEn: 'Coffee', specs: [weight('250g', '500g')], brands: ['晨焙', '山野'], items: ['云南小粒咖啡豆', '冻干速溶咖啡粉'], price: [4900, 19900], weightGrams: 300 },
        ],
      },
      {
        nameZh: '休闲零食',
        nameEn: 'Snacks',
        leaves: [
          { nameZh: '坚果', nameEn: 'Nuts', specs: [weight('500g', '1kg')], brands: ['果园', '三只熊'], items: ['每日坚果混合装', '原味巴旦木', '手剥山核桃'], price: [3900, 15900], weightGrams: 600 },
          { nameZh: '饼干糕点', nameEn: 'Biscuits', specs: [weight('300g', '600g')], brands: ['三只熊'], items: ['黄油曲奇礼盒', '全麦苏打饼干'], price: [1990, 8900], weightGrams: 400 },
        ],
      },
      {
        nameZh: '粮油调味',
        nameEn: 'Pantry',
        leaves: [
          { nameZh: '大米', nameEn: 'Rice', specs: [weight('5kg', '10kg')], brands: ['北田'], items: ['东北五常大米', '泰国香米'], price: [4900, 16900], weightGrams: 5200 },
          { nameZh: '食用油', nameEn: 'Cooking oil', specs: [capacity('1.8L', '5L')], brands: ['北田', '金穗'], items: ['压榨花生油', '非转基因大豆油'], price: [3900, 14900], weightGrams: 4800 },
        ],
      },
    ],
  },
  {
    nameZh: '家居家装',
    nameEn: 'Home',
    children: [
      {
        nameZh: '家纺',
        nameEn: 'Bedding',
        leaves: [
          { nameZh: '四件套', nameEn: 'Bedding sets', specs: [color('燕麦色', '雾霾蓝', '浅灰'), size('1.5m', '1.8m')], brands: ['眠语', '棉舍'], items: ['全棉磨毛四件套', '水洗棉床品四件套'], price: [19900, 69900], weightGrams: 2500 },
          { nameZh: '枕头', nameEn: 'Pillows', specs: [{ key: 'firmness', nameZh: '软硬', nameEn: 'Firmness', values: ['软', '中', '硬'] }], brands: ['眠语'], items: ['乳胶护颈枕', '羽丝绒枕芯'], price: [5900, 29900], weightGrams: 1200 },
        ],
      },
      {
        nameZh: '收纳厨具',
        nameEn: 'Storage & kitchenware',
        leaves: [
          { nameZh: '收纳盒', nameEn: 'Storage boxes', specs: [size('小号', '中号', '大号')], brands: ['整理家'], items: ['可叠加透明收纳箱', '抽屉式收纳盒'], price: [1990, 8900], weightGrams: 800 },
          { nameZh: '锅具', nameEn: 'Cookware', specs: [size('26cm', '30cm')], brands: ['厨忆'], items: ['麦饭石不粘炒锅', '铸铁珐琅锅'], price: [9900, 59900], weightGrams: 2500 },
        ],
      },
    ],
  },
  {
    nameZh: '母婴玩具',
    nameEn: 'Baby & toys',
    children: [
      {
        nameZh: '玩具',
        nameEn: 'Toys',
        leaves: [
          { nameZh: '积木', nameEn: 'Building blocks', specs: [{ key: 'pieces', nameZh: '颗粒数', nameEn: 'Pieces', values: ['300颗', '800颗'] }], brands: ['乐拼'], items: ['城市系列拼装积木', '大颗粒益智积木'], price: [5900, 39900], weightGrams: 900 },
          { nameZh: '毛绒玩具', nameEn: 'Plush toys', specs: [size('30cm', '50cm')], brands: ['萌趣'], items: ['柔软抱抱熊', '卡通安抚玩偶'], price: [3900, 15900], weightGrams: 400 },
        ],
      },
      {
        nameZh: '喂养用品',
        nameEn: 'Feeding',
        leaves: [
          { nameZh: '奶瓶', nameEn: 'Baby bottles', specs: [capacity('160ml', '240ml')], brands: ['贝护'], items: ['宽口径玻璃奶瓶', 'PPSU 防胀气奶瓶'], price: [5900, 19900], weightGrams: 200 },
        ],
      },
    ],
  },
  {
    nameZh: '运动户外',
    nameEn: 'Sports & outdoors',
    children: [
      {
        nameZh: '健身训练',
        nameEn: 'Fitness',
        leaves: [
          { nameZh: '瑜伽垫', nameEn: 'Yoga mats', specs: [color('紫色', '灰色', '墨绿')], brands: ['跃动'], items: ['加厚防滑瑜伽垫', 'TPE 双面瑜伽垫'], price: [4900, 19900], weightGrams: 1000 },
          { nameZh: '哑铃', nameEn: 'Dumbbells', specs: [weight('5kg', '10kg', '20kg')], brands: ['力健'], items: ['可调节包胶哑铃', '家用健身哑铃'], price: [9900, 49900], weightGrams: 10000 },
        ],
      },
      {
        nameZh: '户外装备',
        nameEn: 'Outdoor gear',
        leaves: [
          { nameZh: '帐篷', nameEn: 'Tents', specs: [size('2人', '4人')], brands: ['行者'], items: ['自动速开露营帐篷', '防雨双层帐篷'], price: [29900, 129900], weightGrams: 3500 },
          { nameZh: '登山杖', nameEn: 'Trekking poles', specs: [color('黑色', '橙色')], brands: ['行者'], items: ['碳纤维折叠登山杖', '铝合金伸缩手杖'], price: [5900, 29900], weightGrams: 500 },
        ],
      },
    ],
  },
];

export type StoreTemplate = { name: string; contactName: string; description: string; sells: string[] };

/** Stores and the top-level categories (by Chinese name) each sells from. */
export const stores: StoreTemplate[] = [
  { name: '棉舍服饰旗舰店', contactName: '陈静', description: '舒适基础款服饰，新疆长绒棉。', sells: ['服饰鞋包', '家居家装'] },
  { name: '极光数码专营店', contactName: '李强', description: '手机、耳机与数码配件，正品行货。', sells: ['手机数码'] },
  { name: '厨忆家电官方店', contactName: '王磊', description: '厨房小家电与锅具，全国联保。', sells: ['家用电器', '家居家装'] },
  { name: '植萃美妆小铺', contactName: '赵敏', description: '温和护肤与个护好物。', sells: ['美妆个护'] },
  { name: '山野茶铺', contactName: '王芳', description: '武夷山岩茶与云南咖啡，产地直发。', sells: ['食品生鲜'] },
  { name: '三只熊零食铺', contactName: '刘洋', description: '坚果零食，每日新鲜。', sells: ['食品生鲜'] },
  { name: '乐拼母婴玩具店', contactName: '孙丽', description: '益智玩具与安心喂养用品。', sells: ['母婴玩具'] },
  { name: '行者户外运动', contactName: '周涛', description: '露营、徒步与居家健身装备。', sells: ['运动户外', '服饰鞋包'] },
];

export const sellingPoints = ['2026新款', '热卖', '官方正品', '限时特惠', '人气爆款', '品质之选', '经典款', '升级款'];
